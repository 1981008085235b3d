"""Screenshots of the Studio panel in a real JupyterLab at each step of a render, in the light and the dark theme,
plus the example GIF the render made.

    python scripts/make_screenshots.py            # writes docs/images/studio-{light,dark}-{1..4}-*.png, example.gif

Each theme is photographed in a 1600 px wide window (studio-<theme>-<n>-<step>.png) and an 800 px one with the file
browser open, as on a laptop (studio-<theme>-800-<n>-<step>.png).

Starts a private JupyterLab (tests/browser/lab.py, the same set-up as the browser tests) and Debian's Chromium,
opens a notebook with a Studio, and for each theme photographs: the panel as first shown, after keyframes were
edited on the timeline, while frames arrive during a render, and when the finished GIF is shown inline.
Nothing leaves 127.0.0.1; the embedded offline pipeline renders the frames.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from lab import JupyterLab, NotebookPage, launch_browser  # noqa: E402
from studio_ui import StudioUI  # noqa: E402

THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
WIDTHS = (1600, 800)  # the first is the README's
HEIGHT = 1900
RENDER_S = 900


def studio_cell(seed: int) -> str:
    return (
        "from giffusion_widgets import Studio, Project, Keyframe\n"
        "studio = Studio(project=Project(\n"
        "    keyframes=[Keyframe(0, 'a red circle on a white background'),\n"
        "               Keyframe(12, 'a blue square on a sky background')],\n"
        f"    height=128, width=128, num_inference_steps=20, batch_size=4, fps=8, seed={seed}))\n"
        "studio"
    )


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def set_theme(page, theme: str) -> None:
    page.evaluate("(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
    page.wait_for_function("(t) => document.body.dataset.jpThemeName === t", arg=theme, timeout=60_000)
    # the panel follows the host's colours on the next frame
    page.wait_for_function(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")


def tidy_lab(page, file_browser: bool = False) -> None:
    """More room for the notebook: no side panels (or only the file browser, as a narrow screen often has)."""
    page.evaluate("""(browser) => {
        const shell = window.jupyterapp.shell;
        shell.collapseLeft(); shell.collapseRight();
        if (browser) window.jupyterapp.commands.execute('filebrowser:activate');
    }""", file_browser)


def photograph(ui: StudioUI, out: Path, name: str) -> Path:
    """The cell (its code and the panel under it)."""
    path = out / f"{name}.png"
    cell = ui.page.locator(".jp-CodeCell").filter(has=ui.root).first
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=str(path), timeout=60_000, animations="disabled")
    log(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return path


def one_theme(browser, lab: JupyterLab, out: Path, theme_key: str, seed: int, width: int) -> Path | None:
    """The four steps in one theme and window width; the run folder's GIF."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    narrow = width != WIDTHS[0]
    name = f"screenshots_{theme_key}_{width}"
    lab.write_notebook(name, [studio_cell(seed)])
    nb = NotebookPage(page, lab, name)
    try:
        nb.open(run_all=False)
        tidy_lab(page, file_browser=narrow)
        set_theme(page, THEMES[theme_key])
        nb.run_all()
        ui = StudioUI(page).wait_shown()
        prefix = f"studio-{theme_key}-{width}" if narrow else f"studio-{theme_key}"

        # 1. the panel as a newcomer first sees it
        photograph(ui, out, f"{prefix}-1-start")

        # 2. keyframes edited: one added by double-clicking the timeline, its prompt typed in the editor
        x = ui.timeline_x_of(20)
        ui.timeline.dblclick(position={"x": x, "y": 50})
        ui.prompt_editor.wait_for(state="visible")
        ui.prompt_editor.fill("a green triangle on a night background")
        ui.prompt_editor.press("Enter")
        page.wait_for_function("(t) => /^20: a green triangle/m.test(t.value)", arg=ui.text_view.element_handle())
        ui.timeline.hover(position={"x": x, "y": 50})
        photograph(ui, out, f"{prefix}-2-keyframes")

        # 3. rendering: frames arrive in the scrubber while the progress bar moves
        ui.render_button.click()
        ui.wait_position("p.rendered >= 6", timeout=RENDER_S)
        photograph(ui, out, f"{prefix}-3-rendering")

        # 4. finished: the GIF inline beside the scrubber
        state = ui.wait_state("finished", "failed", "cancelled", timeout=RENDER_S)
        if state != "finished":
            raise RuntimeError(f"the render ended {state}: {ui.status_words.inner_text()}")
        ui.output_image.wait_for(state="visible")
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                               arg=ui.output_image.element_handle())
        ui.stage.focus()
        page.keyboard.press("Home")
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.mouse.move(0, 0)
        photograph(ui, out, f"{prefix}-4-finished")

        gif = nb.kernel.value("str((studio.runs_dir / studio.run_id / 'output.gif').resolve())")
        if errors:
            log(f"page errors in the {theme_key} theme: {errors}")
        return Path(gif)
    finally:
        nb.shutdown()
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images", help="folder for the PNGs and GIF")
    parser.add_argument("--themes", nargs="+", choices=sorted(THEMES), default=["light", "dark"])
    parser.add_argument("--keep", action="store_true", help="keep the temporary JupyterLab folder")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    base = Path(tempfile.mkdtemp(prefix="giffusion-screenshots-"))
    lab = JupyterLab(base)
    try:
        log("starting JupyterLab")
        lab.start()
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            try:
                for i, theme in enumerate(args.themes):
                    for width in WIDTHS:
                        log(f"{theme} theme, {width} px")
                        gif = one_theme(browser, lab, out, theme, seed=42 + i, width=width)
                    if i == 0 and gif is not None and gif.is_file():
                        shutil.copyfile(gif, out / "example.gif")
                        log(f"wrote {out / 'example.gif'} ({gif.stat().st_size // 1024} KB)")
            finally:
                browser.close()
    finally:
        lab.stop()
        if args.keep:
            log(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
