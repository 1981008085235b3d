"""The panel as people use it in real JupyterLab (issue 16): keys typed into fields stay in the fields, a panel whose
kernel went away says so, theme switches and narrow output areas keep it whole, and its words say what is wrong in
the fields' own labels."""

from __future__ import annotations

import time

import pytest
from lab import wait_until
from studio_ui import STUDIO_CELL, StudioUI

pytestmark = pytest.mark.browser


def keyframes(studio) -> list[list]:
    return studio.kernel.value("[[k.frame, k.prompt] for k in studio.project.keyframes]")


def open_section(ui, title: str) -> None:
    details = ui.root.locator("details.gw-section", has=ui.page.locator(".gw-section-title", has_text=title))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def cell_counts(studio) -> list:
    return [c["count"] for c in studio.nb.cells() if c["type"] == "code"]


def field_row(ui, key: str):
    return ui.root.locator(f".gw-field[data-field={key}]")


# ---------------------------------------------------------------------------- 1. keys stay in the fields


def test_enter_makes_new_lines_in_the_prompt_text_and_shift_enter_does_not_run_the_cell(studio, shot):
    studio.reset_project()
    ui = studio.ui
    studio.kernel.run("shown_studio = studio")
    counts = cell_counts(studio)
    area = ui.text_view
    area.click()
    ui.page.keyboard.press("Control+A")
    ui.page.keyboard.type("0: a red circle")
    ui.page.keyboard.press("Enter")
    ui.page.keyboard.type("8: a blue square")
    ui.page.keyboard.press("Enter")
    ui.page.keyboard.type("12: a green triangle")
    assert ui.text() == "0: a red circle\n8: a blue square\n12: a green triangle"
    wait_until(lambda: len(keyframes(studio)) == 3, 60, "the kernel to see three typed keyframes")
    assert keyframes(studio)[2] == [12, "a green triangle"]
    ui.page.keyboard.press("Shift+Enter")
    ui.page.keyboard.press("Shift+Enter")
    time.sleep(2)  # a cell started by the shortcut would have a new count by now
    assert cell_counts(studio) == counts, "the Studio cell ran again"
    assert studio.kernel.value("studio is shown_studio")
    assert area.evaluate("(t) => t === document.activeElement")
    shot(ui.root, "typed")
    area.evaluate("(t) => t.blur()")  # the text view follows the project again once left


def test_enter_commits_a_number_field(studio):
    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Diffusion")
    steps = ui.field("Steps")
    steps.click()
    steps.fill("5")
    steps.press("Enter")
    wait_until(lambda: studio.kernel.value("studio.project.num_inference_steps") == 5, 30,
               "Enter to commit Steps")
    assert steps.evaluate("(el) => el === document.activeElement"), "Enter keeps the field focused"
    steps.evaluate("(el) => el.blur()")


# ---------------------------------------------------------------------------- 6. a panel whose kernel went away


def test_after_a_kernel_restart_the_old_panel_says_it_is_not_connected(open_notebook, shot):
    nb = open_notebook("studio_restart", [STUDIO_CELL])
    ui = StudioUI(nb.page)
    ui.wait_shown()
    time.sleep(3)  # a few pings answered: a live panel stays live
    assert ui.render_button.is_enabled()
    assert ui.status_words.get_attribute("data-state") == "idle"
    nb.page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
    ui.page.wait_for_function("(el) => el.dataset.state === 'disconnected'", arg=ui.status_words.element_handle(),
                              timeout=60_000, polling=200)
    assert ui.status_words.inner_text().startswith("Not connected to a kernel")
    assert ui.render_button.is_disabled()
    assert ui.cancel_button.is_disabled()
    shot(ui.root, "disconnected")


# ---------------------------------------------------------------------------- 8. invalid settings in the fields' words


def test_an_invalid_setting_is_named_by_its_field_label_and_render_says_why_it_cannot_start(studio, shot):
    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Diffusion")
    steps = ui.field("Steps")
    steps.fill("0")
    steps.press("Enter")
    row = field_row(ui, "num_inference_steps")
    ui.page.wait_for_function("(row) => row.dataset.problem === 'true'", arg=row.element_handle(), timeout=30_000)
    assert row.locator(".gw-field-error").inner_text() == "Steps must be at least 1, got 0"
    assert ui.status_words.inner_text() == "Render cannot start: Steps must be at least 1, got 0."
    assert ui.render_button.get_attribute("title") == "Render cannot start: Steps must be at least 1, got 0."
    ui.render_button.click()
    ui.error_banner.wait_for(state="visible", timeout=30_000)
    time.sleep(1)
    assert ui.status_words.get_attribute("data-state") == "idle", "no render started"
    assert ui.status_words.inner_text() == "Render cannot start: Steps must be at least 1, got 0."
    assert "num_inference_steps" not in ui.error_banner.inner_text()
    shot(ui.root, "steps refused")
    steps.fill("2")
    steps.press("Enter")
    ui.page.wait_for_function("(row) => row.dataset.problem === 'false'", arg=row.element_handle(), timeout=30_000)
    assert not ui.status_words.inner_text().startswith("Render cannot start")
    steps.evaluate("(el) => el.blur()")
    ui.root.get_by_role("button", name="Dismiss error").click()


# ---------------------------------------------------------------------------- 3. a rejected upload changes nothing


def test_a_text_file_uploaded_as_audio_leaves_the_project_as_it_was(studio, tmp_path):
    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Inputs")
    before = studio.kernel.value("studio.project.to_dict()")
    notices = ui.root.locator(".gw-notice")
    shown = notices.count()
    fake = tmp_path / "song.mp3"
    fake.write_text("this is not a song\n" * 50)
    ui.root.locator("input[type=file][accept^='audio']").set_input_files(str(fake))
    ui.error_banner.wait_for(state="visible", timeout=60_000)
    assert "song.mp3" in ui.error_banner.inner_text()
    assert studio.kernel.value("studio.project.to_dict()") == before
    assert not ui.root.locator(".gw-notice-info", has_text="song.mp3").count(), "no success notice"
    assert notices.count() - shown <= 1, "one error, not several"
    assert studio.kernel.value("__import__('os').path.exists('uploads/song.mp3')") is False
    ui.root.get_by_role("button", name="Dismiss error").click()


# ---------------------------------------------------------------------------- 4. a closed Studio stops its render


def test_closing_a_studio_cancels_its_render(open_notebook):
    nb = open_notebook("studio_close", [STUDIO_CELL])
    ui = StudioUI(nb.page)
    ui.wait_shown()
    nb.kernel.run("studio.project = Project(keyframes=[Keyframe(0, 'a red circle'), Keyframe(400, 'a blue square')],"
                  " height=64, width=64, num_inference_steps=2, batch_size=1)")
    ui.render_button.click()
    wait_until(lambda: nb.kernel.value("studio.frame_count") >= 1, 300, "the render to be under way")
    nb.kernel.run("studio.close()")
    wait_until(lambda: not nb.kernel.value("studio.rendering"), 60, "the closed studio's render to stop")
    state = nb.kernel.value("studio.session.status")
    assert state["state"] == "cancelled" and state["done"] < 401, state


# ---------------------------------------------------------------------------- 9. no stale words


def test_a_field_error_goes_when_a_cell_resets_the_value(studio):
    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Diffusion")
    batch = ui.field("Batch size")
    batch.fill("0")
    batch.press("Enter")
    row = field_row(ui, "batch_size")
    ui.page.wait_for_function("(row) => row.dataset.problem === 'true'", arg=row.element_handle(), timeout=30_000)
    batch.evaluate("(el) => el.blur()")
    studio.nb.run_cell("studio.project.batch_size = 2")
    ui.page.wait_for_function("(el) => el.value === '2'", arg=batch.element_handle(), timeout=30_000)
    ui.page.wait_for_function("(row) => row.dataset.problem === 'false'", arg=row.element_handle(), timeout=30_000)
    assert row.locator(".gw-field-error").inner_text() == ""
    assert not ui.status_words.inner_text().startswith("Render cannot start")
    assert ui.error_banner.is_hidden()
    assert studio.kernel.value("studio.session._panel_refused") == []


# ---------------------------------------------------------------------------- 7. no edit is dropped


def test_a_timeline_edit_while_the_text_does_not_parse_is_refused_with_a_note(studio, shot):
    studio.reset_project()
    ui = studio.ui
    ui.text_view.fill("0: a red circle\n8: a blue square\n12 a yellow star")
    ui.page.wait_for_function("(el) => /line \\d+, column \\d+/.test(el.textContent)",
                              arg=ui.text_status.element_handle(), timeout=30_000)
    ui.timeline.dblclick(position={"x": ui.timeline_x_of(4), "y": 50})
    note = ui.root.locator(".gw-edit-refused")
    note.wait_for(state="visible", timeout=10_000)
    assert note.inner_text().startswith("Keyframes were not changed: fix the prompt text first (line 3")
    shot(ui.root, "edit refused")
    time.sleep(1)
    assert keyframes(studio) == [[0, "a red circle"], [8, "a blue square"]]
    assert ui.text() == "0: a red circle\n8: a blue square\n12 a yellow star"  # what was typed stays
    ui.text_view.fill("0: a red circle\n8: a blue square\n12: a yellow star")
    wait_until(lambda: len(keyframes(studio)) == 3, 60, "the fixed text to be applied")
    note.wait_for(state="hidden", timeout=10_000)
    ui.text_view.evaluate("(t) => t.blur()")
    ui.timeline.dblclick(position={"x": ui.timeline_x_of(4), "y": 50})
    wait_until(lambda: [4, "a red circle"] in keyframes(studio), 60, "the edit once the text parses")
    ui.page.wait_for_function("(t) => /^4: a red circle$/m.test(t.value)", arg=ui.text_view.element_handle())


# ---------------------------------------------------------------------------- 2. theme switches


_LUMA_JS = """(canvas) => new Promise((done) => requestAnimationFrame(() => {
  const {width, height} = canvas; const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
  done(sum / (data.length / 4)); }))"""


def change_theme(page, name: str) -> None:
    page.evaluate(f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: {name!r}}})")
    page.wait_for_function(f"() => document.body.dataset.jpThemeName === {name!r}", timeout=60_000)


def test_a_theme_switch_redraws_the_canvases_in_the_new_colours(studio, shot):
    studio.reset_project()
    ui = studio.ui
    canvas = ui.timeline
    light = canvas.evaluate(_LUMA_JS)
    try:
        change_theme(ui.page, "JupyterLab Dark")
        wait_until(lambda: canvas.evaluate(_LUMA_JS) < light - 60, 20, "the timeline to be drawn in dark colours")
        box = canvas.bounding_box()
        assert box and box["height"] > 40 and box["width"] > 300, box
        assert canvas.evaluate("(c) => c.width") > 300
        shot(ui.root, "dark")
    finally:
        change_theme(ui.page, "JupyterLab Light")
    wait_until(lambda: abs(canvas.evaluate(_LUMA_JS) - light) < 10, 20, "the timeline to be light again")


# ---------------------------------------------------------------------------- 5. narrow output areas


def within(box: dict, outer: dict, what: str) -> None:
    assert box is not None, f"{what} is not laid out"
    assert box["x"] >= outer["x"] - 0.5 and box["x"] + box["width"] <= outer["x"] + outer["width"] + 0.5, \
        f"{what} {box} is outside {outer}"


def test_the_panel_fits_360_px(open_notebook, shot):
    nb = open_notebook("studio_narrow", [STUDIO_CELL])
    ui = StudioUI(nb.page)
    ui.wait_shown()
    ui.render_button.click()
    assert ui.wait_state("finished", "failed", timeout=300) == "finished"
    # A phone-sized window, the side panels closed: the output area leaves the panel less than 360 px.
    nb.page.set_viewport_size({"width": 420, "height": 900})
    nb.page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
    time.sleep(1.5)  # Lab lays itself out again for the narrow window
    view = {"x": 0, "y": 0, "width": 420, "height": 900}
    panel = ui.root.bounding_box()
    within(panel, view, "the panel")
    assert panel["width"] <= 360, panel
    for name in ("Render", "Cancel", "+ Add keyframe", "Download"):
        target = ui.root.get_by_role("link" if name == "Download" else "button", name=name, exact=True)
        target.scroll_into_view_if_needed()
        within(target.bounding_box(), ui.root.bounding_box(), name)
        within(target.bounding_box(), view, name)
    assert ui.root.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), "nothing pokes out sideways"
    # 13: the grammar hint's code chip stays whole; a long line wraps in the text box; downloads name their run
    chip = ui.root.locator(".gw-prompt-text .gw-hint code")
    assert chip.evaluate("(c) => c.getClientRects().length") == 1, "the code chip wraps mid-way"
    within(chip.bounding_box(), ui.root.bounding_box(), "the code chip")
    ui.text_view.fill("0: a red circle on a white background, watercolor, soft light | negative: blurry, text, "
                      "watermark\n8: a blue square")
    assert ui.text_view.evaluate("(t) => t.scrollWidth <= t.clientWidth + 1"), "long lines do not wrap"
    assert ui.text_view.evaluate("(t) => t.scrollHeight > t.clientHeight || t.rows >= 3")
    run = nb.kernel.value("studio.run_id")
    assert ui.root.get_by_role("link", name="Download").get_attribute("download") == f"giffusion-{run}.gif"
    shot(nb.page, "narrow")


# ---------------------------------------------------------------------------- 13. small words


def test_counts_are_in_the_singular_for_one(studio):
    studio.reset_project("Project(keyframes=[Keyframe(0, 'a red circle')], height=64, width=64, "
                         "num_inference_steps=2, batch_size=4)")
    count = studio.ui.root.locator(".gw-timeline .gw-count").first
    studio.ui.page.wait_for_function("(el) => el.textContent.trim() === '1 keyframe · 1 frame'",
                                     arg=count.element_handle(), timeout=30_000)


# ---------------------------------------------------------------------------- 12. timeline drags


def test_a_keyframe_dragged_past_another_stops_short_of_it(studio):
    studio.reset_project("Project(keyframes=[Keyframe(0, 'a red circle'), Keyframe(4, 'a green triangle'), "
                         "Keyframe(8, 'a blue square')], height=64, width=64, num_inference_steps=2, batch_size=4)")
    ui = studio.ui
    box = ui.timeline.bounding_box()
    y = box["y"] + 50
    ui.page.mouse.move(box["x"] + ui.timeline_x_of(4), y)
    ui.page.mouse.down()
    for step in range(1, 11):
        ui.page.mouse.move(box["x"] + ui.timeline_x_of(4) + step * (box["width"] - 10 - ui.timeline_x_of(4)) / 10, y)
    ui.page.mouse.up()
    wait_until(lambda: [k[0] for k in keyframes(studio)] == [0, 7, 8], 30, "the keyframe to stop at frame 7")
    assert keyframes(studio)[1] == [7, "a green triangle"]


def test_a_zoom_that_changes_nothing_keeps_the_timeline_fitted(studio):
    studio.reset_project()
    ui = studio.ui
    before = ui.timeline_view()
    ui.root.get_by_role("button", name="Zoom in", exact=True).click()  # 9 frames are shown as large as allowed
    assert ui.timeline_view() == before, "the zoom changed the view: this test needs one that cannot"
    studio.kernel.run("studio.project.keyframes.append(Keyframe(60, 'a yellow star'))")
    studio.nb.run_cell("studio.sync()")
    wait_until(lambda: ui.timeline_view()["end"] >= 60, 30, "the fitted timeline to grow to frame 60")


def test_the_inputs_say_when_an_image_is_stretched_and_which_of_image_and_video_is_used(studio, tmp_path):
    from PIL import Image

    studio.reset_project()
    ui = studio.ui
    open_section(ui, "Inputs")
    wide = tmp_path / "wide.png"
    Image.new("RGB", (96, 64), (30, 120, 200)).save(wide)
    ui.root.locator("input[type=file][accept^='image']").set_input_files(str(wide))
    notes = ui.root.locator(".gw-input-notes")
    ui.page.wait_for_function("(el) => /96×64 image is stretched to 64×64/.test(el.textContent)",
                              arg=notes.element_handle(), timeout=60_000)
    # 13: an input's remove button sits beside its name
    name = ui.root.locator(".gw-media-name", has_text="wide.png").bounding_box()
    remove = ui.root.get_by_role("button", name="Remove the image input").bounding_box()
    assert 0 <= remove["x"] - (name["x"] + name["width"]) <= 16, (name, remove)
    studio.kernel.run(
        "import imageio.v3 as iio, numpy as np\n"
        "iio.imwrite('clip.mp4', np.zeros((6, 64, 64, 3), np.uint8), fps=5, codec='libx264')\n"
        "studio.project.video_input = 'clip.mp4'\nstudio.sync()")
    ui.page.wait_for_function("(el) => /the image is used/.test(el.textContent)", arg=notes.element_handle(),
                              timeout=60_000)
    studio.kernel.run("studio.project.image_input = None\nstudio.sync()")
    ui.page.wait_for_function("(el) => el.hidden", arg=notes.element_handle(), timeout=60_000)
    studio.kernel.run("studio.project.video_input = None\nstudio.sync()")
