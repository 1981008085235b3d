"""Schedule lanes and motion settings in real JupyterLab: a lane added in the panel, a point dragged on it and read
back from the kernel, text from a cell shown in the lane, a bad schedule's error at its column with the typed text
kept, and the Motion settings reaching the kernel. A screenshot of two lanes is kept for looking at."""

from __future__ import annotations

import pytest
from lab import wait_until

pytestmark = pytest.mark.browser

SCHEDULE_POINTS = "__import__('giffusion_widgets.schedules', fromlist=['x']).schedule_points"


def lane(ui, name: str):
    return ui.root.locator(f".gw-lane[data-lane={name}]")


def lane_canvas(ui, name: str):
    return lane(ui, name).get_by_role("application")


def lane_xy(ui, name: str, frame: float, value: float) -> dict:
    """Where (frame, value) is on a lane's canvas, from the mapping it states in its data-* attributes."""
    d = lane_canvas(ui, name).evaluate(
        "(c) => new Promise((done) => requestAnimationFrame(() => done({...c.dataset})))")
    lo, hi, top, bottom = (float(d[k]) for k in ("valueMin", "valueMax", "plotTop", "plotBottom"))
    return {"x": float(d["originX"]) + frame * float(d["pxPerFrame"]),
            "y": bottom - (value - lo) / (hi - lo) * (bottom - top)}


def kernel_points(studio, name: str) -> list:
    return studio.kernel.value(f"[list(p) for p in {SCHEDULE_POINTS}(studio.project.{name})]")


def add_lane(ui, label: str) -> None:
    ui.root.get_by_label("Add a schedule lane").select_option(label=label)


def open_section(ui, title: str) -> None:
    details = ui.root.locator("details.gw-section", has=ui.page.locator(".gw-section-title", has_text=title))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_a_lane_added_in_the_panel_takes_points_that_reach_the_kernel(studio, shot):
    studio.reset_project()
    ui = studio.ui
    mark = studio.console.mark()
    add_lane(ui, "Zoom")
    canvas = lane_canvas(ui, "zoom")
    canvas.wait_for(state="visible")
    # the lane is on the timeline's axis: same left edge, same width, same frame <-> x mapping
    lane_box, timeline_box = canvas.bounding_box(), ui.timeline.bounding_box()
    assert abs(lane_box["x"] - timeline_box["x"]) < 1 and abs(lane_box["width"] - timeline_box["width"]) < 1
    assert abs(lane_xy(ui, "zoom", 8, 1)["x"] - ui.timeline_x_of(8)) < 0.01
    assert lane(ui, "zoom").get_by_label("Zoom schedule").input_value() == "1"

    # double-click adds a point where the pointer is
    canvas.dblclick(position=lane_xy(ui, "zoom", 8, 1.015))
    wait_until(lambda: len(kernel_points(studio, "zoom")) == 2, 30, "the new point in the kernel")
    (f0, v0), (f1, v1) = kernel_points(studio, "zoom")
    assert (f0, v0, f1) == (0, 1.0, 8) and abs(v1 - 1.015) < 0.0015, (f1, v1)
    text = lane(ui, "zoom").get_by_label("Zoom schedule")
    assert text.input_value() == studio.kernel.value("studio.project.zoom")

    # drag that point to frame 4, lower
    start, end = lane_xy(ui, "zoom", 8, v1), lane_xy(ui, "zoom", 4, 0.99)
    box = canvas.bounding_box()
    ui.page.mouse.move(box["x"] + start["x"], box["y"] + start["y"])
    ui.page.mouse.down()
    for i in range(1, 9):
        ui.page.mouse.move(box["x"] + start["x"] + (end["x"] - start["x"]) * i / 8,
                           box["y"] + start["y"] + (end["y"] - start["y"]) * i / 8)
    ui.page.mouse.up()
    wait_until(lambda: kernel_points(studio, "zoom")[-1][0] == 4, 30, "the dragged point in the kernel")
    (_, _), (f1, v1) = kernel_points(studio, "zoom")
    assert f1 == 4 and abs(v1 - 0.99) < 0.0015, (f1, v1)
    ui.page.wait_for_function("([t, v]) => t.value === v", arg=[
        text.element_handle(), studio.kernel.value("studio.project.zoom")], timeout=30_000)
    # the selected point moves with the arrow keys: a step of value up, a frame right
    canvas.click(position=lane_xy(ui, "zoom", 4, v1))
    ui.page.keyboard.press("ArrowUp")
    wait_until(lambda: kernel_points(studio, "zoom")[-1][1] != v1, 30, "the value a step up")
    ui.page.keyboard.press("ArrowRight")
    wait_until(lambda: kernel_points(studio, "zoom")[-1][0] == 5, 30, "the point a frame right")
    (_, _), (f1, v2) = kernel_points(studio, "zoom")
    assert abs(v2 - (v1 + 0.001)) < 1e-9, (v1, v2)
    # the kernel's curve for that text came back and is what evaluate_schedule gives
    assert studio.kernel.value("studio.schedules['curves']['zoom']['values'] == __import__('giffusion_widgets')."
                               "evaluate_schedule(studio.project.zoom, 9, fps=10).tolist()")
    shot(ui.root.locator(".gw-prompts"), "zoom lane")

    # a cell's schedule shows in the lane, as text and as points
    studio.kernel.run("studio.project.zoom = '0:(1), 6:(1.03), 8:(1)'")
    ui.page.wait_for_function("(t) => t.value === '0:(1), 6:(1.03), 8:(1)'", arg=text.element_handle(),
                              timeout=30_000)
    ui.page.wait_for_function("(c) => c.dataset.points === '[[0,1],[6,1.03],[8,1]]'",
                              arg=canvas.element_handle(), timeout=30_000)
    # double-click on a point removes it
    canvas.dblclick(position=lane_xy(ui, "zoom", 6, 1.03))
    wait_until(lambda: kernel_points(studio, "zoom") == [[0, 1.0], [8, 1.0]], 30, "the point removed")
    assert studio.console.errors(since=mark) == []


def test_a_bad_schedule_shows_its_error_in_place_and_keeps_the_typed_text(studio, shot):
    studio.reset_project()
    ui = studio.ui
    studio.kernel.run("studio.project.angle = '0:(0), 8:(10)'")
    box = lane(ui, "angle")
    box.wait_for(state="visible")  # schedule text from code shows its lane
    text = box.get_by_label("Angle schedule")
    typed = "0:(0), 5:(x)"
    text.fill(typed)
    text.press("Tab")
    error = box.locator(".gw-lane-error")
    error.wait_for(state="visible", timeout=30_000)
    assert "column 11: unknown name 'x'" in error.inner_text()
    assert studio.kernel.value("studio.project.angle") == "0:(0), 8:(10)", "not applied"
    assert text.input_value() == typed, "what was typed is kept"
    assert box.get_attribute("data-problem") == "true"
    assert ui.root.locator(".gw-problems li[data-field-problem=angle]").count() == 0, "shown at the lane only"
    shot(box, "angle error")
    error.click()  # puts the cursor on the column
    assert text.evaluate("(t) => [t.selectionStart, t.selectionEnd]") == [10, 11]
    studio.kernel.run("shown_studio = studio")
    text.fill("0:(0), 5:(12)")
    text.press("Shift+Enter")  # the notebook's run-cell shortcut must not take it: the studio is not made again
    text.press("Enter")
    wait_until(lambda: studio.kernel.value("studio.project.angle") == "0:(0), 5:(12)", 30, "the fixed text")
    error.wait_for(state="hidden", timeout=30_000)
    assert text.input_value() == "0:(0), 5:(12)"
    assert studio.kernel.value("studio is shown_studio")


def test_the_motion_settings_reach_the_kernel(studio):
    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Motion")
    ui.field("Animation mode").select_option(label="2D feedback")
    wait_until(lambda: studio.kernel.value("studio.project.animation_mode") == "2d", 30, "the animation mode")
    ui.field("Border").select_option(label="reflect")
    ui.field("Match colours to the first frame").check()
    cadence = ui.field("Cadence")
    cadence.fill("3")
    cadence.press("Tab")
    ui.field("Loop: the last frames walk back to the first keyframe").check()
    ui.field("Boomerang: play forward, then backward").check()
    wait_until(lambda: studio.kernel.value(
        "(studio.project.border_mode, studio.project.color_match, studio.project.cadence, studio.project.loop, "
        "studio.project.boomerang)") == ["reflect", True, 3, True, True], 30, "every motion setting")
    summary = ui.root.locator("details.gw-section", has=ui.page.locator(".gw-section-title", has_text="Motion"))
    assert "2D feedback" in summary.locator(".gw-summary-text").inner_text()
    studio.kernel.run("studio.project.animation_mode = 'interpolate'")
    ui.page.wait_for_function("(s) => s.value === 'interpolate'", arg=ui.field("Animation mode").element_handle(),
                              timeout=30_000)


def test_two_lanes_look_right(studio, shot):
    studio.reset_project("Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(24,'a blue square'), "
                         "Keyframe(48,'a green triangle')], height=64, width=64, num_inference_steps=2, "
                         "zoom='0:(1), 24:(1.04), 48:(1)', angle='0:(4*sin(t/6))')")
    ui = studio.ui
    for name in ("zoom", "angle"):
        lane(ui, name).wait_for(state="visible")
    ui.page.wait_for_function("(c) => c.dataset.points === '[[0,1],[24,1.04],[48,1]]'",
                              arg=lane_canvas(ui, "zoom").element_handle(), timeout=30_000)
    path = shot(ui.root.locator(".gw-prompts"), "two lanes")
    assert path.stat().st_size > 10_000
