"""The studio's `stale_frames` trait: which frames the panel's settings would re-render, after each edit and each
run; the words say the same as the counts; a render's counts stay its own while the project is edited."""

from __future__ import annotations

import threading

from giffusion_widgets.widgets.stale_view import describe, ranges


def from_browser(widget, **changes):
    """A panel edit, through the same entry point the comm uses: the project dict with `changes`."""
    data = widget.project.to_dict()
    data.update(changes)
    widget._handle_msg({"content": {"data": {"method": "update", "state": {"project": data}, "buffer_paths": []}},
                        "buffers": []})


def prompt_of(widget, index, prompt):
    keyframes = [dict(k) for k in widget.project.to_dict()["keyframes"]]
    keyframes[index]["prompt"] = prompt
    return keyframes


def test_ranges_and_words():
    assert ranges([]) == [] and ranges([1, 2, 3, 7, 9, 10]) == [[1, 3], [7, 7], [9, 10]]
    assert describe(9, 7, "", "gif") == "7 of 9 frames would re-render (2 from the cache)."
    assert describe(1, 1, "", "gif") == "1 of 1 frame would re-render."
    assert describe(9, 0, "format", "mp4").startswith("Output changed: Render writes the MP4 from the cached frames")
    assert describe(9, None, "", "gif", "the pipeline is not loaded yet") == (
        "9 frames to render; which of them the cache holds is not known yet (the pipeline is not loaded yet).")


def test_an_edit_marks_the_frames_it_changes_and_a_render_clears_them(studio):
    first = studio.stale_frames
    assert first["known"] and first["count"] == 9 and first["stale"] == [[0, 8]], first
    studio.render()
    done = studio.stale_frames
    assert done["count"] == 0 and done["stale"] == [] and done["changed"] == [] and done["output"] == ""
    assert done["message"] == "Up to date: all 9 frames are rendered with these settings."

    from_browser(studio, keyframes=prompt_of(studio, 1, "a yellow star"))  # keyframe 1 is frame 4
    edited = studio.stale_frames
    assert edited["stale"] == [[1, 7]] and edited["changed"] == [[1, 7]] and edited["count"] == 7
    assert edited["message"] == "7 of 9 frames would re-render (2 from the cache)."
    assert edited["ms"] < 250, edited["ms"]  # a few ms for 9 frames; generous for busy machines
    again = studio.render()
    assert again.rendered == 7  # the count said what the render did
    assert studio.stale_frames["count"] == 0

    # back to the first prompt: nothing re-renders (the cache has it), but the frames shown are not these
    from_browser(studio, keyframes=prompt_of(studio, 1, "a blue square"))
    back = studio.stale_frames
    assert back["count"] == 0 and back["changed"] == [[1, 7]] and back["output"] == "frames"
    assert back["message"] == "All 9 frames are in the cache: Render takes them from it and writes the GIF."


def test_another_output_format_needs_only_a_new_output(studio):
    studio.render()
    from_browser(studio, output_format="mp4")
    value = studio.stale_frames
    assert value["count"] == 0 and value["output"] == "format" and value["output_only"], value
    assert value["message"] == "Output changed: Render writes the MP4 from the cached frames (no frame re-renders)."
    from_browser(studio, output_format="gif", fps=12)
    assert studio.stale_frames["output"] == "settings" or studio.stale_frames["count"] > 0


def test_edits_during_a_render_leave_its_counts_and_are_told_apart(studio):
    studio.project.batch_size = 1
    studio.project.num_inference_steps = 4
    halfway, go_on = threading.Event(), threading.Event()
    seen = []
    original = studio.session.on_render_event

    def pause_at_three(event):
        original(event)
        if event.kind == "frame":
            seen.append((event.done, event.total, dict(studio.status)))
            if event.done == 3:
                halfway.set()
                go_on.wait(60)

    studio.session.on_render_event = pause_at_three
    assert studio.session.start_render()
    assert halfway.wait(120)
    assert studio.stale_frames["message"] == ""  # nothing edited yet: the running render is what is asked for
    keyframes = [*studio.project.to_dict()["keyframes"], {"frame": 14, "prompt": "a green circle"}]
    from_browser(studio, keyframes=keyframes)  # 15 frames now; the running render makes its 9
    assert studio.project.num_frames == 15
    assert studio.status["total"] == 9 and studio.status["done"] == 3
    during = studio.stale_frames
    assert during["total"] == 15 and during["message"].startswith("Edited during this render: after it, ")
    # frames the running render is still making are not stale: only those the edit changes (8 on) or adds
    assert during["stale"] == [[8, 14]], during
    go_on.set()
    assert studio.wait(120)
    assert studio.status["state"] == "finished" and studio.status["total"] == 9 and studio.status["done"] == 9
    assert all(total == 9 and status["total"] == 9 for _, total, status in seen)
    after = studio.stale_frames
    assert after["stale"] == [[8, 14]] and after["message"] == "7 of 15 frames would re-render (8 from the cache)."


def test_without_a_loaded_pipeline_nothing_is_known_and_nothing_loads(tiny_project, tmp_path):
    from giffusion_widgets import Session

    session = Session(tiny_project, runs_dir=tmp_path / "runs")
    value = session.stale.value
    assert not value["known"] and value["reason"] == "the pipeline is not loaded yet" and value["total"] == 9
    assert value["message"] == ""  # no run shown: nothing to be stale yet
    assert session.pipelines.pipeline is None and session._renderer is None
