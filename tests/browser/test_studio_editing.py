"""Editing a Studio in real JupyterLab: the panel draws, the timeline adds keyframes, the editor and the text view
edit them, cells change the project, and every edit is seen on the other side (kernel <-> panel)."""

from __future__ import annotations

import re

import pytest
from lab import wait_until

pytestmark = pytest.mark.browser

START_TEXT = "0: a red circle\n8: a blue square"


def keyframes(studio) -> list[list]:
    return studio.kernel.value("[[k.frame, k.prompt] for k in studio.project.keyframes]")


def test_panel_renders_without_errors(studio, shot):
    ui = studio.ui
    shot(ui.root, "panel")
    assert ui.root.is_visible()
    assert "Giffusion" in ui.root.inner_text()
    assert ui.render_button.is_enabled()
    assert ui.cancel_button.is_disabled()  # nothing to cancel yet
    assert ui.status_words.get_attribute("data-state") == "idle"
    assert ui.text().strip() == START_TEXT
    assert ui.text_status.inner_text().strip() == "2 keyframes"
    assert ui.scrubber_state() == {"frame": 0, "last": 8, "rendered": 0, "total": 9}
    assert ui.error_banner.is_hidden()
    box = ui.timeline.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 40, box
    # the kernel side agrees with what the panel shows
    assert keyframes(studio) == [[0, "a red circle"], [8, "a blue square"]]
    assert studio.console.errors() == []


def test_double_click_adds_a_keyframe_and_the_editor_edits_its_prompt(studio, shot):
    studio.reset_project()
    ui = studio.ui
    mark = studio.console.mark()

    x = ui.timeline_x_of(4)
    ui.timeline.dblclick(position={"x": x, "y": 50})
    # a new keyframe at frame 4, with the prompt of the keyframe before it
    wait_until(lambda: [4, "a red circle"] in keyframes(studio), 60, "the kernel to see the keyframe at frame 4")
    assert keyframes(studio) == [[0, "a red circle"], [4, "a red circle"], [8, "a blue square"]]
    ui.page.wait_for_function("(t) => /^4: a red circle$/m.test(t.value)", arg=ui.text_view.element_handle())
    shot(ui.root, "keyframe added")

    # deselect, then select the new marker with a click and edit its prompt in the editor
    ui.timeline.focus()
    ui.page.keyboard.press("Escape")
    ui.prompt_editor.wait_for(state="hidden")
    ui.timeline.click(position={"x": x, "y": 50})
    ui.prompt_editor.wait_for(state="visible")
    assert ui.field("Keyframe at frame").input_value() == "4"
    assert ui.prompt_editor.input_value() == "a red circle"
    ui.prompt_editor.fill("a green triangle")
    ui.prompt_editor.press("Enter")

    wait_until(lambda: [4, "a green triangle"] in keyframes(studio), 60,
               "the kernel to see the edited prompt of frame 4")
    assert keyframes(studio) == [[0, "a red circle"], [4, "a green triangle"], [8, "a blue square"]]
    ui.page.wait_for_function("(t) => /^4: a green triangle$/m.test(t.value)", arg=ui.text_view.element_handle())
    # the next cell sees the same keyframes
    assert studio.nb.run_cell("print([k.prompt for k in studio.project.keyframes])").strip() == \
        "['a red circle', 'a green triangle', 'a blue square']"
    shot(ui.root, "prompt edited")
    assert studio.console.errors(since=mark) == []


def test_a_cell_that_changes_the_project_updates_the_panel(studio, shot):
    studio.reset_project()
    ui = studio.ui
    fps = ui.field("Frames per second")
    assert fps.input_value() == str(studio.kernel.value("studio.project.fps"))

    studio.nb.run_cell("studio.project.fps = 5\nstudio.project.keyframes[1].prompt = 'a yellow star'")

    ui.page.wait_for_function("(el) => el.value === '5'", arg=fps.element_handle(), timeout=60_000)
    ui.page.wait_for_function("(t) => /^8: a yellow star$/m.test(t.value)", arg=ui.text_view.element_handle(),
                              timeout=60_000)
    assert ui.text().strip() == "0: a red circle\n8: a yellow star"
    # playback and the scrubber's clock follow the new fps: frame 8 is 1.6 s at 5 fps
    ui.stage.focus()
    ui.page.keyboard.press("End")
    ui.page.wait_for_function("(el) => /frame 8 · 1\\.60 s/.test(el.textContent)",
                              arg=ui.position.element_handle())
    shot(ui.root, "after cell")


def test_a_syntax_error_in_the_text_view_names_line_and_column_and_keeps_the_last_valid_keyframes(studio, shot):
    studio.reset_project()
    ui = studio.ui
    valid = "0: a red circle\n8: a blue square\n12: a yellow star"
    ui.text_view.fill(valid)
    wait_until(lambda: len(keyframes(studio)) == 3, 60, "the kernel to see the third keyframe typed as text")
    assert keyframes(studio) == [[0, "a red circle"], [8, "a blue square"], [12, "a yellow star"]]

    broken = "0: a red circle\n8: a blue square\n12 a yellow star"
    ui.text_view.fill(broken)
    ui.page.wait_for_function("(el) => /line \\d+, column \\d+/.test(el.textContent)",
                              arg=ui.text_status.element_handle(), timeout=30_000)
    message = ui.text_status.inner_text()
    shot(ui.root, "syntax error")
    # the same line and column as the Python grammar gives
    expected = python_error(studio, broken)
    assert re.search(rf"line {expected[0]}, column {expected[1]}\b", message), (message, expected)
    assert expected[0] == 3
    assert ui.text_view.get_attribute("aria-invalid") == "true"
    assert ui.text() == broken  # the panel keeps what the user typed

    # A cell run through JupyterLab is queued behind anything the panel sent before: if the broken text had been
    # sent, this would see it.
    assert studio.nb.run_cell("print([[k.frame, k.prompt] for k in studio.project.keyframes])").strip() == \
        "[[0, 'a red circle'], [8, 'a blue square'], [12, 'a yellow star']]"
    assert studio.kernel.value("studio.error") == ""

    # fixing the line applies it
    ui.text_view.fill("0: a red circle\n8: a blue square\n12: a purple star")
    wait_until(lambda: keyframes(studio)[-1] == [12, "a purple star"], 60, "the kernel to see the fixed text")
    ui.page.wait_for_function("(el) => el.textContent.trim() === '3 keyframes'", arg=ui.text_status.element_handle())
    assert ui.text_view.get_attribute("aria-invalid") == "false"


def python_error(studio, text: str) -> list[int]:
    """[line, column] of the PromptSyntaxError the Python grammar raises for `text`."""
    out = studio.kernel.run(
        "from giffusion_widgets import parse_prompts, PromptSyntaxError\n"
        "try:\n"
        f"    parse_prompts({text!r})\n"
        "    print('no error')\n"
        "except PromptSyntaxError as e:\n"
        "    print(e.line, e.column)\n")
    line, column = out.split()
    return [int(line), int(column)]
