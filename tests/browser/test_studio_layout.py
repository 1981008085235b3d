"""The panel's layout in real JupyterLab (issue 16, item 11): in a 1600x900 window with the Studio cell at the top,
Render, the progress bar and status, the keyframe timeline and the shown frame are all on screen at once, without
scrolling the notebook (two columns at wide widths); at 800 px the panel stacks and nothing pokes out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ARTIFACTS, PAGES, new_context
from lab import JupyterLab, NotebookPage, wait_until
from studio_ui import STUDIO_CELL, StudioUI

pytestmark = pytest.mark.browser

RENDER_S = 300
WIDE = {"width": 1600, "height": 900}

# The notebook's own scrolling box (the nearest ancestor of the panel that scrolls), as the window shows it.
_SCROLLER_JS = """(root) => { let el = root.parentElement;
  while (el && !(/(auto|scroll)/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight)) {
    el = el.parentElement; }
  if (!el) return null; const r = el.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: el.clientHeight, scrollTop: el.scrollTop}; }"""


def tidy_lab(page: Any, file_browser: bool = False) -> None:
    """The side panels closed (or only the file browser open), as scripts/make_screenshots.py sets the window."""
    page.evaluate("""(browser) => { const shell = window.jupyterapp.shell; shell.collapseLeft(); shell.collapseRight();
        if (browser) window.jupyterapp.commands.execute('filebrowser:activate'); }""", file_browser)
    time.sleep(1)  # Lab lays itself out again


class Wide:
    def __init__(self, nb: NotebookPage) -> None:
        self.nb = nb
        self.page = nb.page
        self.ui = StudioUI(nb.page)


@pytest.fixture(scope="module")
def wide(lab: JupyterLab, browser: Any) -> Iterator[Wide]:
    """A notebook whose only cell is the Studio, in a 1600x900 window without side panels, rendered once."""
    ctx = new_context(browser, viewport=dict(WIDE))
    page = PAGES.open(ctx)
    lab.write_notebook("studio_layout", [STUDIO_CELL])
    nb = NotebookPage(page, lab, "studio_layout")
    try:
        nb.open(run_all=False)
        tidy_lab(page)
        nb.run_all()
        session = Wide(nb)
        session.ui.wait_shown()
        session.ui.render_button.click()
        assert session.ui.wait_state("finished", "failed", timeout=RENDER_S) == "finished"
        session.ui.frame_image.wait_for(state="visible")
        yield session
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "studio_layout--setup.png"))
        raise
    finally:
        nb.shutdown()
        PAGES.forget(page)
        ctx.close()


def box_of(locator: Any, what: str) -> dict:
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, f"{what} is not laid out"
    return box


def inside(box: dict, outer: dict, what: str, where: str) -> None:
    assert outer["y"] - 0.5 <= box["y"] and box["y"] + box["height"] <= outer["y"] + outer["height"] + 0.5, \
        f"{what} {box} is not inside {where} {outer}"
    assert outer["x"] - 0.5 <= box["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"] + 0.5, \
        f"{what} {box} is not inside {where} {outer}"


def test_render_progress_timeline_and_the_frame_are_on_one_screen_at_1600x900(wide, shot):
    ui = wide.ui
    wide.page.evaluate("() => window.jupyterapp.shell.currentWidget.content.scrollToItem(0, 'start')")
    time.sleep(0.5)
    scroller = ui.root.evaluate(_SCROLLER_JS)
    assert scroller is not None and scroller["scrollTop"] < 1, f"the notebook is scrolled: {scroller}"
    window = {"x": 0, "y": 0, **WIDE}
    for what, locator in {"Render": ui.render_button, "the progress bar": ui.progress,
                          "the status words": ui.status_words, "the keyframe timeline": ui.timeline,
                          "the shown frame": ui.frame_image}.items():
        box = box_of(locator, what)
        inside(box, window, what, "the window")
        inside(box, scroller, what, "the notebook's visible area")
    shot(wide.page, "1600x900")


def test_wide_panels_put_the_keyframe_editor_beside_the_frames(wide):
    ui = wide.ui
    timeline = box_of(ui.timeline, "the timeline")
    text = box_of(ui.text_view, "the prompts as text")
    stage = box_of(ui.stage, "the frame")
    assert timeline["width"] > 0.9 * box_of(ui.root, "the panel")["width"], "the timeline spans the panel"
    assert text["x"] + text["width"] <= stage["x"], "the editors are left of the frames"
    assert text["y"] < stage["y"] + stage["height"] and stage["y"] < text["y"] + text["height"], "side by side"


@pytest.mark.parametrize("file_browser", [False, True], ids=["no side panel", "file browser open"])
def test_at_800_px_the_panel_stacks_and_nothing_pokes_out(wide, shot, file_browser):
    ui = wide.ui
    try:
        wide.page.set_viewport_size({"width": 800, "height": 900})
        tidy_lab(wide.page, file_browser=file_browser)
        panel = box_of(ui.root, "the panel")
        assert ui.root.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), "nothing pokes out sideways"
        text = box_of(ui.text_view, "the prompts as text")
        stage = box_of(ui.stage, "the frame")
        assert text["y"] + text["height"] <= stage["y"], "the frames come under the editors"
        for name in ("Render", "Cancel", "+ Add keyframe", "Draft", "Render frames"):
            target = ui.button(name)
            target.scroll_into_view_if_needed()
            inside(box_of(target, name), box_of(ui.root, "the panel"), name, "the panel")
        download = ui.root.get_by_role("link", name="Download", exact=True)
        download.scroll_into_view_if_needed()
        inside(box_of(download, "Download"), box_of(ui.root, "the panel"), "Download", "the panel")
        assert panel["width"] < 760
        wide.page.evaluate("() => window.jupyterapp.shell.currentWidget.content.scrollToItem(0, 'start')")
        shot(wide.page, "800")
    finally:
        wide.page.set_viewport_size(dict(WIDE))
        tidy_lab(wide.page)


def fold_state(ui: StudioUI, name: str) -> str | None:
    return ui.root.locator(f"button.gw-fold[data-fold={name}]").get_attribute("aria-expanded")


def group(ui: StudioUI, title: str) -> Any:
    return ui.root.locator("details.gw-section", has=ui.page.locator(".gw-section-title", has_text=title))


def test_folded_sections_stay_as_they_were_left_after_a_reload_and_when_the_cell_runs_again(wide, shot):
    ui, nb = wide.ui, wide.nb
    assert fold_state(ui, "history") == fold_state(ui, "schedules") == "true"
    assert group(ui, "Motion").get_attribute("open") is None
    ui.root.get_by_role("button", name="Recent runs").click()
    ui.root.get_by_role("button", name="Schedules").click()
    group(ui, "Motion").locator("summary").click()
    assert ui.root.locator(".gw-history-runs").is_hidden() and ui.root.locator(".gw-lane-list").is_hidden()
    wanted = {"history": False, "schedules": False, "settings.motion": True}
    try:
        wait_until(lambda: nb.kernel.value("studio.folds") == wanted, 30, "the kernel to hold the folds")
        for step in ("reload", "run again"):
            if step == "reload":
                nb.save()  # the output, so the reloaded page draws the panel again from the kernel
                wide.page.reload(wait_until="domcontentloaded")
                nb.wait_ready()
            else:
                nb.run_all()
            ui.wait_shown()
            assert fold_state(ui, "history") == "false", step
            assert fold_state(ui, "schedules") == "false", step
            assert group(ui, "Motion").get_attribute("open") is not None, step
            assert nb.kernel.value("studio.folds") == wanted, step
        shot(ui.root, "folded")
    finally:
        nb.kernel.run("studio.folds = {}")
