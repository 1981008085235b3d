"""Stale frames in real JupyterLab: after an edit the panel marks the frames Render would re-render (the filmstrip,
the timeline's rendered bar) and says how many; another output format needs only a new output; while a render
runs, every count is that render's own, whatever the edits do to the project."""

from __future__ import annotations

import re

import pytest
from lab import wait_until

pytestmark = pytest.mark.browser

RENDER_S = 300  # loading the pipeline and rendering on two busy cores

# Everything the panel says about the counts, read in one go (between two of the page's tasks).
_COUNTS_JS = """(root) => {
  const text = (sel) => { const el = root.querySelector(sel); return el && !el.hidden ? el.textContent : ''; };
  return {status: text('.gw-status'), position: text('.gw-scrubber .gw-position'),
          coming: text('.gw-strip-coming'), placeholder: text('.gw-output-empty'), note: text('.gw-stale-note'),
          state: root.querySelector('.gw-status').dataset.state};
}"""


def note(studio):
    return studio.ui.root.locator(".gw-stale-note")


def wait_note(studio, pattern: str, timeout: float = 60) -> str:
    """Wait until the stale note's words match `pattern` (a regex); return them."""
    studio.page.wait_for_function(
        "([el, source]) => !el.hidden && new RegExp(source).test(el.textContent)",
        arg=[note(studio).element_handle(), pattern], timeout=timeout * 1000, polling=100)
    return note(studio).inner_text()


def thumbs_marked(studio) -> dict[int, str]:
    """Frame -> its filmstrip mark ("stale", "changed" or "") for every thumbnail made."""
    return studio.ui.scrubber.evaluate(
        "(el) => Object.fromEntries([...el.querySelectorAll('.gw-thumb')].map((t) => [t.dataset.frame,"
        " t.dataset.stale || '']))")


def edit_text(studio, old: str, new: str) -> None:
    """Change one line of the prompt text view, as a person types it, and wait for the kernel to take it."""
    ui = studio.ui
    text = ui.text()
    assert old in text, text
    ui.text_view.fill(text.replace(old, new))
    wait_until(lambda: new.split(": ", 1)[1] in studio.kernel.value("[k.prompt for k in studio.project.keyframes]"),
               60, "the kernel to take the edit")


def render_to_the_end(studio) -> None:
    """Render from the panel and wait for that run (not the last one) to end."""
    before = studio.kernel.value("studio.run_id")
    studio.ui.render_button.click()
    wait_until(lambda: studio.kernel.value("studio.run_id") != before, RENDER_S, "the new run to start")
    studio.ui.wait_state("finished", "failed", "cancelled", timeout=RENDER_S)
    wait_until(lambda: studio.kernel.value("studio.status['state']") in ("finished", "failed", "cancelled"), RENDER_S,
               "the run to end")
    assert studio.kernel.value("studio.status['state']") == "finished", studio.kernel.value("studio.status")


def test_an_edit_marks_the_frames_it_would_re_render(studio, shot):
    ui = studio.ui
    mark = studio.console.mark()
    studio.reset_project()
    render_to_the_end(studio)
    assert wait_note(studio, "^Up to date") == "Up to date: all 9 frames are rendered with these settings."
    assert thumbs_marked(studio) == {str(i): "" for i in range(9)}

    edit_text(studio, "8: a blue square", "8: a yellow square")  # keyframe 1's prompt: frames 1 to 8 change
    words = wait_note(studio, "would re-render")
    assert words == "8 of 9 frames would re-render (1 from the cache).", words
    wait_until(lambda: thumbs_marked(studio) == {"0": "", **{str(i): "stale" for i in range(1, 9)}}, 30,
               "the filmstrip to mark frames 1 to 8 stale")
    assert ui.timeline.get_attribute("data-stale-frames") == "1-8"
    assert "stale" in ui.scrubber.locator(".gw-thumb[data-frame='4']").get_attribute("title")
    shot(ui.root, "stale after an edit")

    # what the note said is what the render does
    render_to_the_end(studio)
    assert studio.kernel.value("studio.animation.rendered") == 8
    wait_note(studio, "^Up to date")
    wait_until(lambda: set(thumbs_marked(studio).values()) == {""}, 30, "the marks to go once rendered")
    assert ui.timeline.get_attribute("data-stale-frames") == ""

    # back to the first prompt: nothing re-renders, the cache has those frames, but they are not the ones shown
    edit_text(studio, "8: a yellow square", "8: a blue square")
    assert wait_note(studio, "in the cache") == (
        "All 9 frames are in the cache: Render takes them from it and writes the GIF.")
    wait_until(lambda: thumbs_marked(studio) == {"0": "", **{str(i): "changed" for i in range(1, 9)}}, 30,
               "the filmstrip to mark frames 1 to 8 changed")
    shot(ui.root, "changed, all cached")
    assert studio.console.errors(since=mark) == []


def test_another_output_format_says_only_the_output_is_new(studio, shot):
    ui = studio.ui
    mark = studio.console.mark()
    studio.reset_project()
    render_to_the_end(studio)
    wait_note(studio, "^Up to date")

    ui.field("Format").select_option(value="mp4")
    wait_until(lambda: studio.kernel.value("studio.project.output_format") == "mp4", 60, "the kernel to take MP4")
    words = wait_note(studio, "^Output changed")
    assert words == "Output changed: Render writes the MP4 from the cached frames (no frame re-renders).", words
    assert note(studio).get_attribute("data-output") == "format"
    assert set(thumbs_marked(studio).values()) == {""}  # no frame is stale
    shot(ui.root, "output format changed")

    render_to_the_end(studio)
    assert studio.kernel.value("(studio.animation.rendered, studio.animation.path.suffix)") == [0, ".mp4"]
    wait_note(studio, "^Up to date")
    ui.field("Format").select_option(value="gif")
    wait_until(lambda: studio.kernel.value("studio.project.output_format") == "gif", 60, "the kernel to take GIF")
    assert studio.console.errors(since=mark) == []


def test_an_edit_during_a_render_leaves_its_counts_alone(studio, shot):
    ui = studio.ui
    mark = studio.console.mark()
    studio.reset_project("Project(keyframes=[Keyframe(0,'a red circle'), Keyframe(39,'a blue square')], "
                         "height=64, width=64, num_inference_steps=8, batch_size=1, seed=7)")
    ui.wait_position("p.total === 40")
    ui.start_recording()
    ui.render_button.click()
    ui.wait_new_run(2, timeout=RENDER_S)
    ui.recorded()

    # the project grows to 46 frames while the render makes its 40
    text = ui.text()
    ui.text_view.fill(text.rstrip("\n") + "\n45: a green triangle\n")
    wait_until(lambda: studio.kernel.value("studio.project.num_frames") == 46, 60, "the kernel to take the edit")
    words = wait_note(studio, "^Edited during this render: after it, ")
    assert re.search(r"of 46 frames would re-render", words), words
    ui.wait_position("p.total === 46")  # the scrub range follows the project...
    counts = ui.root.evaluate(_COUNTS_JS)
    shot(ui.root, "edited during the render")
    assert counts["state"] == "rendering", counts
    # ...every count follows the render: one number of frames, one of frames done
    frame = re.search(r"Rendering frame (\d+) of (\d+)", counts["status"])
    done = re.search(r"(\d+) of (\d+) frames rendered", counts["position"])
    coming = re.search(r"(\d+) more coming", counts["coming"])
    assert frame and done and coming, counts
    assert int(frame[2]) == int(done[2]) == 40, counts
    assert int(frame[1]) == min(int(done[1]) + 1, 40), counts
    assert int(coming[1]) == 40 - int(done[1]), counts
    assert "all 40 frames" in counts["placeholder"], counts
    assert studio.kernel.value("studio.status['total']") == 40

    ui.cancel_button.click()
    ui.wait_state("cancelled", "finished", "failed", timeout=RENDER_S)
    words = note(studio).inner_text()
    assert re.search(r"^\d+ of 46 frames would re-render", words), words
    assert studio.console.errors(since=mark) == []
