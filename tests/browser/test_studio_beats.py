"""The beat grid, drafts and the run history in real JupyterLab: the ruler counts beats and keyframes snap to them
(Alt frees), Draft shows a storyboard of the keyframes, a run's Restore brings its settings back and Undo takes the
restore back, and keyframe thumbnails appear once frames exist."""

from __future__ import annotations

import pytest
from lab import wait_until

pytestmark = pytest.mark.browser

RENDER_S = 240


def keyframe_frames(studio) -> list[int]:
    return studio.kernel.value("[k.frame for k in studio.project.keyframes]")


def drag_keyframe(ui, from_frame: int, to_frame: int, alt: bool = False) -> None:
    box = ui.timeline.bounding_box()
    x0, x1 = ui.timeline_x_of(from_frame), ui.timeline_x_of(to_frame)
    y = box["y"] + 50
    ui.page.mouse.move(box["x"] + x0, y)
    ui.page.mouse.down()
    if alt:
        ui.page.keyboard.down("Alt")
    for i in range(1, 9):
        ui.page.mouse.move(box["x"] + x0 + (x1 - x0) * i / 8, y)
    ui.page.mouse.up()
    if alt:
        ui.page.keyboard.up("Alt")


def test_the_timeline_counts_beats_and_keyframes_snap_to_them(studio, shot):
    studio.reset_project("Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(16,'a blue square')], height=64, "
                         "width=64, num_inference_steps=2, batch_size=4, fps=10, bpm=120, keyframe_unit='beats')")
    ui = studio.ui
    mark = studio.console.mark()
    ui.page.wait_for_function("(c) => c.dataset.unit === 'beats' && c.dataset.framesPerBeat === '5.000000'",
                              arg=ui.timeline.element_handle(), timeout=60_000)
    shot(ui.root, "beat grid")
    drag_keyframe(ui, 16, 12)  # frame 12 is beat 2.4: the keyframe lands on beat 2, frame 10
    wait_until(lambda: keyframe_frames(studio) == [0, 10], 60, "the keyframe to snap to frame 10")
    drag_keyframe(ui, 10, 13, alt=True)  # Alt: exactly where it is dropped
    wait_until(lambda: keyframe_frames(studio) == [0, 13], 60, "the keyframe to move freely to frame 13")
    # a typed fps keeps the keyframes on their beats: 10 -> 20 fps doubles their frames
    fps = ui.field("Frames per second")
    fps.fill("20")
    fps.press("Tab")
    wait_until(lambda: keyframe_frames(studio) == [0, 26], 60, "the keyframes to follow the fps to their beats")
    ui.page.wait_for_function("(c) => c.dataset.framesPerBeat === '10.000000'", arg=ui.timeline.element_handle(),
                              timeout=60_000)
    assert studio.console.errors(since=mark) == []


def test_draft_shows_a_storyboard_and_history_restore_brings_settings_back(studio, shot):
    studio.reset_project("Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(8,'a blue square')], height=64, "
                         "width=64, num_inference_steps=4, batch_size=4, seed=11)")
    ui = studio.ui
    mark = studio.console.mark()
    ui.root.locator("[data-action=draft]").click()
    ui.wait_state("finished", "failed", "cancelled", timeout=RENDER_S)
    storyboard = ui.root.locator(".gw-storyboard")
    storyboard.wait_for(state="visible", timeout=60_000)
    frames = storyboard.locator(".gw-story-frame")
    wait_until(lambda: frames.count() == 2, 60, "the storyboard to show the two keyframes")
    assert [frames.nth(i).get_attribute("data-frame") for i in range(2)] == ["0", "8"]
    history = ui.root.locator(".gw-history-run")
    wait_until(lambda: history.count() >= 1, 60, "the run history to show the draft")
    assert "draft" in history.first.inner_text() and "seed 11" in history.first.inner_text()
    assert ui.image_bytes(history.first.locator("img"))[:6] == b"GIF89a"
    shot(ui.root, "draft storyboard and history")

    studio.kernel.run("studio.project.seed = 99\nstudio.project.keyframes[1].prompt = 'a yellow star'")
    ui.page.wait_for_function("(t) => /^8: a yellow star$/m.test(t.value)", arg=ui.text_view.element_handle(),
                              timeout=60_000)
    history.first.get_by_role("button", name="Restore").click()
    wait_until(lambda: studio.kernel.value("[studio.project.seed, studio.project.keyframes[1].prompt]")
               == [11, "a blue square"], 60, "the draft's settings to come back")
    ui.page.wait_for_function("(t) => /^8: a blue square$/m.test(t.value)", arg=ui.text_view.element_handle(),
                              timeout=60_000)
    ui.root.locator("[data-action=undo-restore]").click()
    wait_until(lambda: studio.kernel.value("[studio.project.seed, studio.project.keyframes[1].prompt]")
               == [99, "a yellow star"], 60, "Undo to bring back the settings before the restore")
    assert studio.console.errors(since=mark) == []


def test_a_render_puts_thumbnails_under_the_keyframes_and_a_range_re_renders_from_the_cache(studio, shot):
    studio.reset_project()
    ui = studio.ui
    ui.render_button.click()
    ui.wait_state("finished", "failed", "cancelled", timeout=RENDER_S)
    thumbs = ui.root.locator(".gw-keyframe-thumb")
    wait_until(lambda: thumbs.count() == 2, 60, "a thumbnail under each keyframe")
    assert [thumbs.nth(i).get_attribute("data-frame") for i in range(2)] == ["0", "8"]
    shot(ui.root, "keyframe thumbnails")
    start, end = ui.root.locator(".gw-range-start"), ui.root.locator(".gw-range-end")
    start.fill("2")
    end.fill("4")
    ui.root.locator("[data-action=render-range]").click()
    wait_until(lambda: studio.kernel.value("studio.status.get('kind')") == "range"
               and studio.kernel.value("studio.status['state']") == "finished", RENDER_S, "the range to finish")
    assert studio.kernel.value("[studio.animation.rendered, studio.animation.reused]") == [0, 3]
    end.fill("99")
    ui.root.locator("[data-action=render-range]").click()
    assert "frames 0 to 8" in ui.root.locator(".gw-range-note").inner_text()
