"""Rendering from the Studio panel in real JupyterLab with the embedded offline pipeline: frames stream into the
scrubber, the progress bar fills, the GIF appears inline; stepping and playback; Cancel keeps finished frames; a
frame goes back as the image input; a page reload brings the panel back as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lab import wait_until
from studio_ui import parse_position

pytestmark = pytest.mark.browser

RENDER_S = 300  # loading the pipeline and rendering on two busy cores


def kernel_status(studio) -> dict:
    return studio.kernel.value("studio.status")


def run_dir(studio) -> Path:
    """The current run folder, absolute (the kernel runs beside the notebook)."""
    return Path(studio.kernel.value("str(studio.runs_dir.resolve() / studio.run_id)"))


def ensure_finished_render(studio) -> None:
    """A finished run of the starting project, from the panel's Render button unless one is already there."""
    status = kernel_status(studio)
    if status.get("state") == "finished" and studio.kernel.value("studio.frame_count") == status.get("total"):
        return
    studio.reset_project()
    studio.ui.render_button.click()
    studio.ui.wait_state("finished", "failed", "cancelled", timeout=RENDER_S)
    assert kernel_status(studio)["state"] == "finished", kernel_status(studio)


def test_render_streams_frames_into_the_scrubber_and_shows_the_gif(studio, shot):
    ui = studio.ui
    mark = studio.console.mark()
    assert ui.scrubber_state()["rendered"] == 0
    shot(ui.root, "before render")

    ui.start_recording()
    ui.render_button.click()
    ui.wait_position("p.rendered >= 1", timeout=RENDER_S)
    shot(ui.root, "first frame arrived")
    state = ui.wait_state("finished", "failed", "cancelled", timeout=RENDER_S)
    log = ui.recorded()
    assert state == "finished", ui.status_words.inner_text()
    shot(ui.root, "finished")

    # frames arrived one after another while the render ran, not all at the end
    counts = [(parse_position(e["position"]) or {}).get("rendered", 0) for e in log]
    assert counts == sorted(counts), counts
    during = {c for c, e in zip(counts, log, strict=True) if e["state"] == "rendering"}
    assert any(0 < c < 9 for c in during), (sorted(during), [e["words"] for e in log][-5:])
    assert ui.wait_position("p.rendered === 9 && p.total === 9")["rendered"] == 9

    # the progress bar went up step by step and reached the end
    values = [e["now"] for e in log if e["now"] is not None]
    assert values == sorted(values), values
    assert len(set(values)) >= 3, values
    assert ui.progress.get_attribute("aria-valuenow") == ui.progress.get_attribute("aria-valuemax") == "9"
    assert ui.progress.locator(".gw-progress-bar").evaluate("el => el.style.width") == "100%"
    assert re.search(r"Finished: 9 frames", ui.status_words.inner_text())
    assert ui.render_button.is_enabled() and ui.cancel_button.is_disabled()

    # the scrubber shows a real frame image, and the filmstrip holds the frames
    ui.frame_image.wait_for(state="visible")
    frame = ui.image_loaded(ui.frame_image)
    assert frame["src"].startswith("blob:") and frame["width"] == 64 and frame["height"] == 64, frame
    assert ui.image_bytes(ui.frame_image)[:8] == b"\x89PNG\r\n\x1a\n"
    thumbs = ui.scrubber.locator(".gw-filmstrip img[src^='blob:']")
    assert thumbs.count() >= min(9, 3), thumbs.count()

    # the finished GIF inline, decoded by the browser
    ui.output_image.wait_for(state="visible")
    gif = ui.image_loaded(ui.output_image)
    assert gif["complete"] and gif["width"] == 64 and gif["height"] == 64, gif
    data = ui.image_bytes(ui.output_image)
    assert data[:6] in (b"GIF89a", b"GIF87a")

    # the kernel and the disk agree: nine frames and the GIF in the run folder, the same bytes as shown
    status = kernel_status(studio)
    assert status["state"] == "finished" and status["done"] == 9 and status["total"] == 9, status
    assert studio.kernel.value("studio.frame_count") == 9
    folder = run_dir(studio)
    assert sorted(p.name for p in (folder / "frames").glob("*.png")) == [f"{i:05d}.png" for i in range(9)]
    assert (folder / "output.gif").read_bytes() == data
    assert studio.console.errors(since=mark) == []


def test_step_and_play_change_the_shown_frame(studio, shot):
    ensure_finished_render(studio)
    ui = studio.ui
    page = ui.page
    mark = studio.console.mark()

    ui.stage.focus()
    page.keyboard.press("Home")
    start = ui.wait_position("p.frame === 0")
    first_src = ui.frame_image.get_attribute("src")
    assert start["rendered"] == 9

    ui.button("Next frame").click()
    assert ui.wait_position("p.frame === 1")["frame"] == 1
    second_src = ui.frame_image.get_attribute("src")
    assert second_src and second_src != first_src
    assert ui.image_bytes(ui.frame_image) != b""
    ui.button("Next frame").click()
    ui.wait_position("p.frame === 2")
    ui.button("Previous frame").click()
    ui.wait_position("p.frame === 1")
    assert ui.frame_image.get_attribute("src") == second_src

    # play: the shown frame advances by itself (recorded in the page), pause stops it
    page.evaluate("""(el) => {
        window.__gwSeen = new Set();
        const seen = () => { const m = /frame (\\d+) ·/.exec(el.textContent); if (m) window.__gwSeen.add(+m[1]); };
        window.__gwSeenObserver = new MutationObserver(seen);
        window.__gwSeenObserver.observe(el, {childList: true, characterData: true, subtree: true});
    }""", ui.position.element_handle())
    ui.button("Play").click()
    ui.button("Pause").wait_for(state="visible")
    page.wait_for_function("() => window.__gwSeen.size >= 4", timeout=60_000, polling=100)
    shot(ui.root, "playing")
    ui.button("Pause").click()
    ui.button("Play").wait_for(state="visible")
    page.evaluate("() => window.__gwSeenObserver.disconnect()")
    paused_at = ui.scrubber_state()["frame"]
    # paused: the frame stays put for several frame times (10 fps)
    page.wait_for_timeout(600)
    assert ui.scrubber_state()["frame"] == paused_at
    wait_until(lambda: studio.kernel.value("studio.frame") == paused_at, 30, "the kernel's frame after pausing")
    assert studio.console.errors(since=mark) == []


def test_the_kernel_playhead_follows_stepping_in_the_scrubber(studio):
    """`frame` is the playhead shared with the kernel (js/README.md): stepping by keys and by the step buttons
    both move it, so a cell reading `studio.frame` sees the frame the user stopped on."""
    ensure_finished_render(studio)
    ui = studio.ui
    ui.stage.focus()
    ui.page.keyboard.press("Home")
    ui.page.keyboard.press("ArrowRight")
    ui.wait_position("p.frame === 1")
    wait_until(lambda: studio.kernel.value("studio.frame") == 1, 20, "the kernel's frame after the arrow key")

    ui.button("Next frame").click()
    ui.button("Next frame").click()
    ui.wait_position("p.frame === 3")
    wait_until(lambda: studio.kernel.value("studio.frame") == 3, 20, "the kernel's frame after the Next button")
    ui.button("Previous frame").click()
    ui.wait_position("p.frame === 2")
    wait_until(lambda: studio.kernel.value("studio.frame") == 2, 20, "the kernel's frame after the Previous button")


def test_send_frame_to_image_input(studio, shot):
    ensure_finished_render(studio)
    ui = studio.ui
    mark = studio.console.mark()
    ui.stage.focus()
    ui.page.keyboard.press("Home")
    for _ in range(3):
        ui.page.keyboard.press("ArrowRight")
    ui.wait_position("p.frame === 3")
    ui.button("Frame → image input").click()

    expected = run_dir(studio) / "frames" / "00003.png"
    image_input = wait_until(lambda: studio.kernel.value("studio.project.image_input"), 60,
                             "the kernel to set the image input")
    # a relative path counts from the kernel's folder, the notebook's
    assert (studio.nb.lab.root / image_input).resolve() == expected.resolve(), (image_input, expected)
    assert expected.is_file()
    # the panel says so
    ui.root.get_by_text("Frame 3 is now the initial image").wait_for(state="visible", timeout=30_000)
    shot(ui.root, "sent")
    studio.kernel.run("studio.project.image_input = None\nstudio.sync()")
    assert studio.console.errors(since=mark) == []


def test_cancel_midway_keeps_the_finished_frames(studio, shot):
    ui = studio.ui
    mark = studio.console.mark()
    studio.reset_project("Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(39,'a blue square')], "
                         "height=64, width=64, num_inference_steps=6, batch_size=1)")
    ui.wait_position("p.total === 40")

    ui.start_recording()
    ui.render_button.click()
    ui.wait_new_run(2, timeout=RENDER_S)  # two frames of this run (not the 9 of the last run) are in
    ui.cancel_button.click()
    state = ui.wait_state("cancelled", "finished", "failed", timeout=RENDER_S)
    ui.recorded()
    assert state == "cancelled", ui.status_words.inner_text()
    shot(ui.root, "cancelled")

    status = kernel_status(studio)
    done = status["done"]
    assert status["state"] == "cancelled" and 2 <= done < 40, status
    assert re.search(rf"Cancelled after {done} of 40 frames", ui.status_words.inner_text())
    assert ui.render_button.is_enabled() and ui.cancel_button.is_disabled()

    # the frames finished so far stay in the scrubber...
    shown = ui.wait_position(f"p.rendered === {done}")
    assert shown["total"] == 40
    ui.stage.focus()
    ui.page.keyboard.press("Home")
    ui.wait_position("p.frame === 0")
    ui.frame_image.wait_for(state="visible")
    assert ui.image_loaded(ui.frame_image)["width"] == 64
    # ...and on disk, with no finished video for a cancelled run
    folder = run_dir(studio)
    names = sorted(p.name for p in (folder / "frames").glob("*.png"))
    assert len(names) == done, (names, done)
    assert studio.kernel.value("studio.frame_count") == done
    assert not (folder / "output.gif").exists()
    assert studio.console.errors(since=mark) == []


def test_page_reload_keeps_the_panel_state(studio, shot):
    ui = studio.ui
    page = studio.page
    mark = studio.console.mark()
    if studio.kernel.value("studio.frame_count") == 0:
        ensure_finished_render(studio)
    # an edit made in the panel, then a reload
    text = ui.text()
    edited = re.sub(r"^0: .*$", "0: a crimson circle", text, count=1, flags=re.M)
    ui.text_view.fill(edited)
    wait_until(lambda: studio.kernel.value("studio.project.keyframes[0].prompt") == "a crimson circle", 60,
               "the kernel to see the edit")
    before = {
        "frames": studio.kernel.value("studio.frame_count"),
        "total": studio.kernel.value("studio.status['total']"),
        "state": studio.kernel.value("studio.status['state']"),
        "kernel": studio.nb.kernel_id,
    }
    studio.nb.save()

    page.reload(wait_until="domcontentloaded")
    studio.nb.wait_ready()
    assert studio.nb.kernel_id == before["kernel"]  # the same kernel, not a restart
    ui.wait_shown()
    shot(ui.root, "after reload")
    assert "0: a crimson circle" in ui.text()
    shown = ui.wait_position(f"p.rendered === {before['frames']} && p.total === {before['total']}", timeout=120)
    assert shown["rendered"] == before["frames"]
    assert ui.status_words.get_attribute("data-state") == before["state"]
    ui.stage.focus()
    page.keyboard.press("Home")
    ui.wait_position("p.frame === 0")
    ui.frame_image.wait_for(state="visible")
    assert ui.image_loaded(ui.frame_image)["width"] == 64
    assert studio.console.errors(since=mark) == []
