"""The widgets' Python side with real widget objects and no browser: messages go in through ipywidgets' own
dispatch (`_handle_msg`, as the kernel delivers them) and everything the widget sends is captured at `_send`."""

from __future__ import annotations

import copy
import io
import json
import threading
from pathlib import Path

import pytest
from media_factory import clicks_file, code_video
from PIL import Image

from giffusion_widgets import Keyframe, Project, ProjectError
from giffusion_widgets.keyinfo import fit_keyframes_to_frames
from giffusion_widgets.widgets import Scrubber, Studio, Timeline, Waveform
from giffusion_widgets.widgets.assets import STATIC, STYLE, esm
from giffusion_widgets.widgets.uploads import safe_name, save_upload


class Wire:
    """What a widget sends to the browser."""

    def __init__(self, widget, monkeypatch):
        self.sent: list[tuple[dict, list]] = []
        self.lock = threading.Lock()
        monkeypatch.setattr(widget, "_send", self._record)

    def _record(self, msg, buffers=None):
        with self.lock:
            self.sent.append((copy.deepcopy(msg), [bytes(b) for b in (buffers or [])]))

    def custom(self, kind=None):
        return [(m["content"], b) for m, b in self.sent
                if m["method"] == "custom" and (kind is None or m["content"].get("type") == kind)]

    def updates(self, key):
        return [m["state"][key] for m, _ in self.sent if m["method"] == "update" and key in m["state"]]

    def clear(self):
        self.sent.clear()


def from_browser(widget, **state):
    """A state update from the browser, through the same entry point the comm uses."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state, "buffer_paths": []}},
                        "buffers": []})


def send(widget, content, buffers=()):
    """A custom message from the browser (model.send)."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": list(buffers)})


def edited(widget, **changes):
    """The project dict as the browser would send it after an edit: a changed copy of what it holds."""
    data = widget.project.to_dict()
    data.update(changes)
    return data


def png_bytes(color=(200, 30, 30), size=(40, 24)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------------------- bundle


def test_each_widget_loads_its_built_module_and_the_shared_stylesheet():
    for cls, name in [(Studio, "studio"), (Timeline, "timeline"), (Waveform, "waveform"), (Scrubber, "scrubber")]:
        widget = cls()
        source = esm(name).read_text(encoding="utf-8")
        assert widget._esm == source and "export" in source and "render" in source
        assert widget._css == STYLE.read_text(encoding="utf-8")
        widget.close()
    assert ".gw-root" in STYLE.read_text(encoding="utf-8")
    assert sorted(p.name for p in STATIC.iterdir() if not p.name.startswith(".")) == [
        "scrubber.js", "studio.js", "style.css", "timeline.js", "waveform.js"]


# ---------------------------------------------------------------------------- project <-> panel


def test_state_holds_the_project_as_a_plain_dict():
    project = Project(fps=12)
    widget = Timeline(project)
    state = widget.get_state()
    assert state["project"] == project.to_dict()
    json.dumps(state["project"])  # travels as JSON
    assert widget.project is project


def test_a_panel_edit_changes_the_same_project_object(monkeypatch):
    project = Project()
    keyframes_before = project.keyframes
    widget = Timeline(project)
    wire = Wire(widget, monkeypatch)
    data = edited(widget, fps=12)
    data["keyframes"][1]["prompt"] = "a picture of a tiger"
    from_browser(widget, project=data)
    assert widget.project is project
    assert project.fps == 12 and project.keyframes[1].prompt == "a picture of a tiger"
    assert isinstance(project.keyframes[1], Keyframe)
    assert keyframes_before is not project.keyframes  # a changed field is a new value ...
    from_browser(widget, project=edited(widget, seed=5))
    assert project.seed == 5 and project.fps == 12  # ... an unchanged one is left alone
    assert widget.error == ""
    assert widget.sync() is False, "the panel already has this"
    assert wire.updates("project") == []


def test_a_code_change_reaches_the_panel_on_sync(monkeypatch):
    widget = Timeline()
    wire = Wire(widget, monkeypatch)
    widget.project.fps = 24
    widget.project.keyframes.append(Keyframe(90, "a picture of a whale"))
    assert widget.sync() is True
    [sent] = wire.updates("project")
    assert sent["fps"] == 24 and sent["keyframes"][-1] == {"frame": 90, "prompt": "a picture of a whale",
                                                          "negative": None, "seed": None}
    assert widget.sync() is False
    assert len(wire.updates("project")) == 1


def test_a_cell_that_changes_the_project_updates_the_panel_after_it_runs(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        widget = Timeline()
        wire = Wire(widget, monkeypatch)
        shell.user_ns["timeline"] = widget
        shell.run_cell("timeline.project.fps = 7")
        assert [u["fps"] for u in wire.updates("project")] == [7]
        shell.run_cell("x = 1")
        assert len(wire.updates("project")) == 1, "nothing changed: nothing sent"
        widget.close()
        assert not [cb for cb in shell.events.callbacks["post_run_cell"] if getattr(cb, "_ref", None)
                    and cb._ref() is widget]
    finally:
        shell.user_ns.pop("timeline", None)
        InteractiveShell.clear_instance()


def test_assigning_another_project_swaps_it_and_updates_the_panel(monkeypatch):
    widget = Timeline()
    wire = Wire(widget, monkeypatch)
    other = Project(fps=5, keyframes=[Keyframe(0, "a"), Keyframe(9, "b")])
    widget.project = other
    assert widget.project is other
    assert wire.updates("project")[-1] == other.to_dict()
    from_browser(widget, project=edited(widget, fps=6))
    assert other.fps == 6


def fields_marked(widget):
    return [p["field"] for p in widget.problems]


def test_panel_values_a_render_would_refuse_are_not_applied_and_each_field_is_marked(monkeypatch):
    widget = Timeline()
    before = widget.project.to_dict()
    wire = Wire(widget, monkeypatch)
    from_browser(widget, project=edited(widget, fps=0, strength=2.0))
    assert widget.project.to_dict() == before, "applied only when valid as a whole"
    assert fields_marked(widget) == ["strength", "fps"]
    assert [p["message"] for p in widget.problems] == ["strength must be in (0, 1], got 2.0",
                                                        "fps must be at least 1, got 0"]
    assert wire.updates("problems")[-1] == widget.problems
    assert "not applied" in widget.error
    from_browser(widget, project=edited(widget, fps=8, strength=0.5))
    assert widget.project.fps == 8 and widget.problems == [] and widget.error == ""


def test_a_value_set_from_code_is_kept_and_its_field_marked(monkeypatch):
    widget = Timeline()
    widget.project.fps = 0
    assert widget.sync() is True
    assert widget.project.fps == 0 and fields_marked(widget) == ["fps"]
    widget.project.fps = 12
    widget.sync()
    assert widget.problems == []


@pytest.mark.parametrize("changes, field", [
    ({"keyframes": "0: a"}, "keyframes"),
    ({"keyframes": [[0, "a"]]}, "keyframes"),
    ({"keyframes": [None]}, "keyframes"),
    ({"fps": "10"}, "fps"),
    ({"fps": None}, "fps"),
    ({"height": "64"}, "height"),
    ({"seed": True}, "seed"),
    ({"guidance_scale": [7]}, "guidance_scale"),
    ({"zoom": "0:(1), 9:(1.05"}, "zoom"),
])
def test_malformed_panel_settings_leave_the_project_exactly_as_it_was(changes, field, monkeypatch):
    widget = Timeline()
    project = widget.project
    before = project.to_dict()
    wire = Wire(widget, monkeypatch)
    from_browser(widget, project=edited(widget, **changes))
    assert widget.project is project and project.to_dict() == before
    assert fields_marked(widget) == [field]
    assert widget.problems[0]["message"].startswith(field)
    assert widget.sync() is False and wire.updates("project") == [], "the next cell does not overwrite the edit"


def test_a_duplicate_keyframe_from_the_panel_is_marked_and_not_applied():
    widget = Timeline()
    data = edited(widget)
    data["keyframes"][1]["frame"] = 0
    from_browser(widget, project=data)
    assert [p["message"] for p in widget.problems] == ["two keyframes share frame 0"]
    assert fields_marked(widget) == ["keyframes"]
    assert [k.frame for k in widget.project.keyframes] == [0, 60]


def test_settings_that_cannot_be_a_project_leave_it_as_it_was(monkeypatch):
    widget = Timeline()
    before = widget.project.to_dict()
    wire = Wire(widget, monkeypatch)
    from_browser(widget, project={**before, "fps": 30, "frobnicate": True})
    assert widget.project.to_dict() == before
    assert widget.problems == [{"field": "frobnicate", "message": "frobnicate is not a setting of a project"}]
    bad_keyframe = edited(widget)
    bad_keyframe["keyframes"] = [{"frame": 0}]
    from_browser(widget, project=bad_keyframe)
    assert fields_marked(widget) == ["keyframes"] and widget.project.to_dict() == before
    # The next cell does not push the old settings over what the user typed; a valid edit clears the message.
    assert widget.sync() is False
    assert wire.updates("project") == []
    from_browser(widget, project=edited(widget, fps=30))
    assert widget.project.fps == 30 and widget.error == "" and widget.problems == []


def test_an_unknown_message_is_answered_with_a_notice(monkeypatch):
    widget = Timeline()
    wire = Wire(widget, monkeypatch)
    send(widget, {"type": "frobnicate"})
    [(notice, _)] = wire.custom("notice")
    assert notice["level"] == "error" and "'frobnicate'" in notice["message"]


# ---------------------------------------------------------------------------- frames


def fake_animation(tmp_path, count=5):
    from giffusion_widgets.animation import Animation

    run_dir = tmp_path / "runs" / "20260101-000000-abcd"
    (run_dir / "frames").mkdir(parents=True)
    frames = []
    for i in range(count):
        path = run_dir / "frames" / f"{i:05d}.png"
        path.write_bytes(png_bytes((i * 40, 10, 10)))
        frames.append(path)
    project = Project(keyframes=[Keyframe(0, "a"), Keyframe(count - 1, "b")])
    return Animation(run_dir=run_dir, project=project, frames=frames, path=None, rendered=count, cancelled=True)


def test_a_scrubber_sends_each_frame_once_with_the_bytes_on_disk(tmp_path, monkeypatch):
    animation = fake_animation(tmp_path)
    scrubber = Scrubber()
    wire = Wire(scrubber, monkeypatch)
    scrubber.show(animation)
    [(run, _)] = wire.custom("run")
    assert run == {"type": "run", "run": animation.run_dir.name, "total": 5}
    frames = wire.custom("frame")
    assert [c["index"] for c, _ in frames] == [0, 1, 2, 3, 4]
    for content, buffers in frames:
        assert content["run"] == animation.run_dir.name and content["mime"] == "image/png"
        assert buffers == [animation.frames[content["index"]].read_bytes()]
    assert scrubber.frame_count == 5 and scrubber.run_id == animation.run_dir.name
    assert scrubber.status["state"] == "cancelled"


def test_a_reloaded_view_gets_the_frames_it_asks_for(tmp_path, monkeypatch):
    animation = fake_animation(tmp_path)
    scrubber = Scrubber(animation)
    wire = Wire(scrubber, monkeypatch)
    send(scrubber, {"type": "frames", "from": 3})
    assert [(c["index"], b) for c, b in wire.custom("frame")] == [
        (3, [animation.frames[3].read_bytes()]), (4, [animation.frames[4].read_bytes()])]
    assert wire.custom("run") == []


def test_a_scrubber_sends_a_frame_back_as_the_image_input(tmp_path, monkeypatch):
    animation = fake_animation(tmp_path)
    scrubber = Scrubber(animation)
    wire = Wire(scrubber, monkeypatch)
    send(scrubber, {"type": "send_frame_to_image", "frame": 2})
    assert scrubber.project.image_input == str(animation.frames[2].resolve())
    assert wire.updates("project")[-1]["image_input"] == str(animation.frames[2])
    send(scrubber, {"type": "send_video_to_video"})
    assert "no finished video" in scrubber.error
    send(scrubber, {"type": "send_frame_to_image", "frame": 99})
    assert scrubber.error == "frame 99 has not been rendered yet, so it cannot be the initial image"


# ---------------------------------------------------------------------------- rendering


def test_the_render_button_renders_in_the_background_and_streams_frames(studio, monkeypatch):
    wire = Wire(studio, monkeypatch)
    caller = threading.current_thread()
    seen_threads = set()
    original = studio.session.on_render_event

    def spy(event):
        seen_threads.add(threading.current_thread())
        original(event)

    monkeypatch.setattr(studio.session, "on_render_event", spy)
    send(studio, {"type": "render"})
    assert studio.wait(120)
    assert caller not in seen_threads, "the render ran off the kernel's thread"
    animation = studio.animation
    assert studio.status["state"] == "finished" and studio.status["done"] == 9 and studio.status["total"] == 9
    [(run, _)] = wire.custom("run")
    assert run["run"] == animation.run_dir.name and run["total"] == 9
    frames = wire.custom("frame")
    assert sorted(c["index"] for c, _ in frames) == list(range(9)), "each frame once"
    for content, buffers in frames:
        assert buffers == [animation.frames[content["index"]].read_bytes()]
        assert buffers[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert studio.frame_count == 9 and studio.run_id == animation.run_dir.name
    assert studio.output == animation.path.read_bytes() and studio.output_mime == "image/gif"
    states = [s["state"] for s in wire.updates("status")]
    assert states[0] in ("rendering", "loading") and states[-1] == "finished"
    assert studio.error == ""


def test_a_finished_run_keeps_its_last_frame_as_a_small_poster_and_a_new_run_drops_it(studio, tmp_path):
    from PIL import Image

    from giffusion_widgets.widgets.frame_log import FrameLog
    from giffusion_widgets.widgets.poster import POSTER_PX, poster_of

    animation = studio.render()
    assert studio.poster == {"run_id": studio.run_id, "frame": 8, "png": animation.frames[8].read_bytes()}
    seen = []
    studio.observe(lambda change: seen.append(change["new"]), "poster")
    studio.project.seed += 1
    studio.render()
    assert seen[0] == {}, "the poster goes as soon as the next run starts"
    assert studio.poster["run_id"] == studio.run_id != animation.run_dir.name
    # a large frame is made small
    Image.new("RGB", (768, 512), (30, 120, 200)).save(tmp_path / "00003.png")
    log = FrameLog()
    log.start("big", 4)
    log.add(3, tmp_path / "00003.png")
    poster = poster_of(log)
    with Image.open(io.BytesIO(poster["png"])) as small:
        assert small.size == (POSTER_PX, round(POSTER_PX * 2 / 3)) and small.format == "PNG"
    assert poster["frame"] == 3 and poster_of(FrameLog()) == {}


def test_render_from_a_cell_returns_the_animation_and_reuses_frames(studio, monkeypatch):
    first = studio.render()
    assert first.rendered == 9 and first.path.exists()
    wire = Wire(studio, monkeypatch)
    studio.project.keyframes[2].prompt = "a yellow star"  # the frames after the middle keyframe change
    second = studio.render()
    assert second.run_dir != first.run_dir
    assert second.reused >= 4 and second.rendered >= 4 and second.reused + second.rendered == 9
    assert studio.status["reused"] == second.reused
    assert wire.updates("project")[0]["keyframes"][2]["prompt"] == "a yellow star", "synced before rendering"
    assert sorted(c["index"] for c, _ in wire.custom("frame")) == list(range(9))


def test_cancel_stops_a_render_and_keeps_its_frames(studio, monkeypatch):
    studio.project.batch_size = 1
    wire = Wire(studio, monkeypatch)
    original = studio.session.on_render_event

    def cancel_after_three(event):
        original(event)
        if event.kind == "frame" and event.done == 3:
            send(studio, {"type": "cancel"})

    monkeypatch.setattr(studio.session, "on_render_event", cancel_after_three)
    send(studio, {"type": "render"})
    assert studio.wait(120)
    assert studio.status["state"] == "cancelled"
    kept = studio.animation
    assert kept.cancelled and 3 <= len(kept.frames) < 9
    assert all(p.exists() for p in kept.frames)
    assert studio.frame_count == len(kept.frames) == len(wire.custom("frame"))
    assert studio.output == b"", "a cancelled run has no output file"
    send(studio, {"type": "send_video_to_video"})
    assert "no finished video" in studio.error


def test_a_new_run_clears_the_last_runs_video_even_when_cancelled(studio, monkeypatch):
    first = studio.render()
    assert studio.output == first.path.read_bytes() and studio.output_mime == "image/gif"
    studio.project.keyframes[0].prompt = "something else entirely"  # nothing comes from the cache
    studio.project.batch_size = 1
    seen_at_start = []
    original = studio.session.on_render_event

    def cancel_after_one(event):
        original(event)
        if event.kind == "started":
            seen_at_start.append((studio.output, studio.output_mime, studio.animation))
        if event.kind == "frame" and event.done == 1:
            send(studio, {"type": "cancel"})

    monkeypatch.setattr(studio.session, "on_render_event", cancel_after_one)
    send(studio, {"type": "render"})
    assert studio.wait(120)
    assert seen_at_start == [(b"", "", None)], "the old video is gone as soon as the new run starts"
    assert studio.status["state"] == "cancelled"
    assert studio.output == b"" and studio.output_mime == ""
    send(studio, {"type": "send_video_to_video"})
    assert "no finished video" in studio.error
    assert studio.project.video_input is None


def test_running_the_studio_cell_again_cancels_the_render_of_the_studio_it_replaces(pipe, tiny_project, tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.parent_header = {"metadata": {"cellId": "cell-1"}, "content": {}}  # as JupyterLab sends it
        shell.user_ns.update(Studio=Studio, pipe=pipe, project=tiny_project.copy(batch_size=1), runs=tmp_path / "runs")
        cell = "studio = Studio(pipeline=pipe, project=project.copy(), runs_dir=runs)"
        shell.run_cell(cell, store_history=True)
        first = shell.user_ns["studio"]
        rendering = threading.Event()
        original = first.session.on_render_event

        def note(event):
            original(event)
            if event.kind == "frame":
                rendering.set()

        first.session.on_render_event = note
        send(first, {"type": "render"})
        assert rendering.wait(120)
        shell.run_cell(cell, store_history=True)  # the same cell again
        second = shell.user_ns["studio"]
        assert first.wait(60), "the replaced studio's render stopped"
        assert first.session.status["state"] == "cancelled" and first.comm is None
        assert second.comm is not None and not second.rendering
        shell.parent_header = {"metadata": {"cellId": "cell-2"}, "content": {}}
        shell.run_cell("a = Studio(runs_dir=runs); b = Studio(runs_dir=runs)", store_history=True)
        assert shell.user_ns["a"].comm is not None and shell.user_ns["b"].comm is not None, "one run, two studios"
        assert second.comm is not None, "another cell's studio stays"
    finally:
        for name in ("studio", "a", "b"):
            widget = shell.user_ns.pop(name, None)
            if widget is not None:
                widget.close()
        InteractiveShell.clear_instance()


def test_the_studio_its_cell_makes_again_keeps_the_sections_folded_as_they_were(tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.parent_header = {"metadata": {"cellId": "cell-folds"}, "content": {}}
        shell.user_ns.update(Studio=Studio, runs=tmp_path / "runs")
        shell.run_cell("studio = Studio(runs_dir=runs)", store_history=True)
        from_browser(shell.user_ns["studio"], folds={"history": False, "settings.diffusion": True})
        shell.run_cell("studio = Studio(runs_dir=runs)", store_history=True)
        assert shell.user_ns["studio"].folds == {"history": False, "settings.diffusion": True}
    finally:
        widget = shell.user_ns.pop("studio", None)
        if widget is not None:
            widget.close()
        InteractiveShell.clear_instance()


def test_closing_the_studio_cancels_its_render(studio):
    studio.project.batch_size = 1
    rendering = threading.Event()
    original = studio.session.on_render_event

    def note(event):
        original(event)
        if event.kind == "frame":
            rendering.set()

    studio.session.on_render_event = note
    send(studio, {"type": "render"})
    assert rendering.wait(120)
    studio.close()
    assert studio.wait(60) and studio.session.status["state"] == "cancelled"


def test_a_second_render_request_while_one_runs_is_refused_politely(studio, monkeypatch):
    wire = Wire(studio, monkeypatch)
    gate = threading.Event()
    original = studio.session.on_render_event

    def slow(event):
        original(event)
        if event.kind == "started":
            gate.wait(30)

    monkeypatch.setattr(studio.session, "on_render_event", slow)
    send(studio, {"type": "render"})
    send(studio, {"type": "render"})
    with pytest.raises(Exception, match="already running"):
        studio.render()
    gate.set()
    assert studio.wait(120)
    assert [c["message"] for c, _ in wire.custom("notice")] == [
        "A render is already running: wait for it or press Cancel."]
    assert len(wire.custom("run")) == 1


def test_render_refuses_an_invalid_project_and_says_why(studio, monkeypatch):
    wire = Wire(studio, monkeypatch)
    studio.project.num_inference_steps = 0  # from code: kept, and marked
    send(studio, {"type": "render"})
    assert studio.wait(10)
    assert studio.error == "Render cannot start: num_inference_steps must be at least 1, got 0"
    assert fields_marked(studio) == ["num_inference_steps"]
    assert wire.custom("run") == [] and not studio.rendering
    with pytest.raises(ProjectError, match="Render cannot start"):
        studio.render()


def test_a_failing_render_says_why(studio, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the GPU caught fire")

    monkeypatch.setattr(type(studio.session.renderer), "render", broken)
    send(studio, {"type": "render"})
    assert studio.wait(30)
    assert studio.status["state"] == "failed" and studio.status["message"] == "the GPU caught fire"
    assert studio.error == "RuntimeError: the GPU caught fire"
    assert not studio.rendering


def test_send_frame_and_video_back_as_inputs(studio, monkeypatch):
    animation = studio.render()
    wire = Wire(studio, monkeypatch)
    send(studio, {"type": "send_frame_to_image", "frame": 4})
    # Inside the notebook's folder, relative like an upload's path.
    assert studio.project.image_input == str(animation.frames[4].resolve().relative_to(Path.cwd().resolve()))
    assert studio.media["image"] == {"name": "00004.png", "width": 64, "height": 64}
    assert Image.open(io.BytesIO(studio.image_preview)).size == (64, 64)
    send(studio, {"type": "send_video_to_video"})
    assert studio.project.video_input == str(animation.path.resolve().relative_to(Path.cwd().resolve()))
    assert studio.media["video"]["frame_count"] == 9 and studio.media["video"]["name"] == "output.gif"
    assert wire.updates("project")[-1]["video_input"] == studio.project.video_input
    assert studio.error == ""


def test_finished_renders_go_to_comet_when_asked(studio, monkeypatch):
    logged = []

    class Result:
        ok = True

        def __str__(self):
            return "logged to Comet offline"

    monkeypatch.setattr("giffusion_widgets.tracking.log_to_comet", lambda a: logged.append(a) or Result())
    wire = Wire(studio, monkeypatch)
    from_browser(studio, log_to_comet=True)
    animation = studio.render()
    assert studio.wait(30)  # logging runs beside the render, never inside it
    assert logged == [animation]
    assert ("logged to Comet offline", "info") in [(c["message"], c["level"]) for c, _ in wire.custom("notice")]


# ---------------------------------------------------------------------------- media inputs


def test_an_uploaded_image_is_saved_beside_the_notebook_and_used(in_tmp, monkeypatch):
    studio = Studio()
    wire = Wire(studio, monkeypatch)
    data = png_bytes()
    send(studio, {"type": "upload", "kind": "image", "name": "../../etc/red dot.png"}, [memoryview(data)])
    saved = Path("uploads/red dot.png")
    assert saved.read_bytes() == data
    assert studio.project.image_input == str(saved)
    assert studio.media["image"] == {"name": "red dot.png", "width": 40, "height": 24}
    assert studio.image_preview[:4] == b"\x89PNG"
    assert wire.updates("project")[-1]["image_input"] == str(saved)
    send(studio, {"type": "upload", "kind": "image", "name": "red dot.png"}, [data])
    assert sorted(p.name for p in Path("uploads").iterdir()) == ["red dot.png"], "same bytes: same file"
    send(studio, {"type": "upload", "kind": "image", "name": "red dot.png"}, [png_bytes((0, 0, 255))])
    assert studio.project.image_input == str(Path("uploads/red dot-1.png")), "other bytes: never overwritten"
    send(studio, {"type": "clear_media", "kind": "image"})
    assert studio.project.image_input is None and studio.media["image"] is None and studio.image_preview == b""


@pytest.mark.parametrize("kind, name, junk", [
    ("image", "broken.png", b"\x89PNG\r\n\x1a\n not really"),
    ("video", "broken.mp4", b"\x00\x00\x00\x18ftypmp42 not really"),
    ("audio", "notes.wav", b"RIFF this is text, not sound"),
])
def test_a_rejected_upload_leaves_the_input_as_it_was(kind, name, junk, in_tmp, monkeypatch):
    studio = Studio()
    good = {"image": png_bytes, "video": lambda: Path(code_video(in_tmp / "ok.mp4", num_frames=4, fps=4)).read_bytes(),
            "audio": lambda: Path(clicks_file(in_tmp, [0.5], duration=1.0)).read_bytes()}[kind]()
    send(studio, {"type": "upload", "kind": kind, "name": f"good{Path(name).suffix}"}, [good])
    assert studio.wait(120) and studio.error == ""
    before = studio.project.to_dict()
    shown = studio.media[kind]
    wire = Wire(studio, monkeypatch)
    send(studio, {"type": "upload", "kind": kind, "name": name}, [junk])
    assert studio.wait(120)
    assert name in studio.error
    assert studio.project.to_dict() == before and studio.media[kind] == shown
    assert not (in_tmp / "uploads" / name).exists(), "the rejected copy is not kept"
    assert wire.updates("project") == []
    assert [c for c, _ in wire.custom("notice") if c["level"] == "info"] == [], "no success notice"


def test_an_upload_of_an_unknown_kind_is_refused():
    studio = Studio()
    send(studio, {"type": "upload", "kind": "spreadsheet", "name": "x.csv"}, [b"1,2"])
    assert studio.error == "cannot upload a file of kind 'spreadsheet'; the panel takes image, audio, video, project"


def test_audio_reaches_the_browser_once_as_peaks_and_playable_bytes(tmp_path):
    path = clicks_file(tmp_path, [0.5, 1.0, 1.5, 2.0], duration=3.0)
    waveform = Waveform(audio=path)
    assert waveform.wait(120), waveform.error
    assert waveform.error == ""
    peaks = waveform.peaks
    assert peaks["duration"] == pytest.approx(3.0, abs=0.01)
    assert peaks["columns"] == len(peaks["min"]) == len(peaks["max"]) >= 2000
    assert set(peaks["onsets"]) == {"percussive", "harmonic", "combined"}
    assert [round(t, 1) for t in peaks["onsets"]["percussive"]] == [0.5, 1.0, 1.5, 2.0]
    assert waveform.audio == Path(path).read_bytes() and waveform.audio_mime == "audio/wav"
    json.dumps(peaks)


def test_keyframes_from_the_audio_onsets(in_tmp, monkeypatch):
    path = clicks_file(in_tmp, [0.5, 1.0, 1.5], duration=2.0)
    studio = Studio(project=Project(fps=10, keyframes=[Keyframe(0, "calm sea"), Keyframe(12, "storm")]))
    send(studio, {"type": "upload", "kind": "audio", "name": "clicks.wav"}, [Path(path).read_bytes()])
    assert studio.wait(120), studio.error
    assert studio.media["audio"] == {"name": "clicks.wav", "duration": 2.0}
    wire = Wire(studio, monkeypatch)
    send(studio, {"type": "audio_keyframes"})
    assert studio.wait(120)
    frames = [k.frame for k in studio.project.keyframes]
    assert frames == [0, 5, 10, 15, 19]
    assert [k.prompt for k in studio.project.keyframes] == ["calm sea"] * 3 + ["storm"] * 2
    assert [k["frame"] for k in wire.updates("project")[-1]["keyframes"]] == frames
    assert "5 keyframes from the percussive onsets of clicks.wav" in wire.custom("notice")[-1][0]["message"]


def test_keyframes_fitted_to_a_video(in_tmp):
    path = code_video(in_tmp / "clip.mp4", num_frames=24, fps=12)
    studio = Studio()
    send(studio, {"type": "upload", "kind": "video", "name": "clip.mp4"}, [Path(path).read_bytes()])
    assert studio.media["video"]["frame_count"] == 24 and studio.media["video"]["fps"] == pytest.approx(12)
    send(studio, {"type": "video_keyframes"})
    assert studio.error == ""
    assert studio.project.fps == 12
    assert [k.frame for k in studio.project.keyframes] == [0, 23]


def test_keyframes_without_the_media_say_what_is_missing():
    studio = Studio()
    send(studio, {"type": "audio_keyframes"})
    assert studio.error == "there is no audio input: choose an audio file first"
    send(studio, {"type": "video_keyframes"})
    assert studio.error == "there is no video input: choose a video file first"


def test_fitting_keyframes_to_a_length():
    ks = [Keyframe(0, "a"), Keyframe(30, "b", seed=3), Keyframe(60, "c")]
    assert [k.frame for k in fit_keyframes_to_frames(ks, 121)] == [0, 60, 120]
    assert fit_keyframes_to_frames(ks, 121)[1].seed == 3
    assert [k.frame for k in fit_keyframes_to_frames(ks, 3)] == [0, 1, 2]
    crowded = [Keyframe(0, "a"), Keyframe(1, "b"), Keyframe(2, "c"), Keyframe(60, "d")]
    assert [k.frame for k in fit_keyframes_to_frames(crowded, 10)] == [0, 1, 2, 9]
    assert [k.frame for k in fit_keyframes_to_frames([Keyframe(5, "x")], 10)] == [0]
    with pytest.raises(Exception, match="fewer than the 3 keyframes"):
        fit_keyframes_to_frames(ks, 2)


def test_upload_names_and_never_overwriting(tmp_path):
    assert safe_name("C:\\Users\\me\\song (final).mp3", "x") == "song _final_.mp3"
    assert safe_name("../..", "audio.bin") == "audio.bin"
    first, new = save_upload(tmp_path, "a.txt", b"1")
    assert new and save_upload(tmp_path, "a.txt", b"1") == (first, False)
    assert save_upload(tmp_path, "a.txt", b"2")[0].name == "a-1.txt"
    assert save_upload(tmp_path, "a.txt", b"3")[0].name == "a-2.txt"
    assert first.read_bytes() == b"1"


# ---------------------------------------------------------------------------- project files, inspire, pipeline


def test_save_and_load_a_project_file_keep_the_same_object(in_tmp):
    studio = Studio()
    project = studio.project
    project.fps = 15
    send(studio, {"type": "save_project", "path": "my project"})
    assert Project.from_json(in_tmp / "my project.json").fps == 15
    Project(fps=3, keyframes=[Keyframe(0, "x"), Keyframe(6, "y")]).save(in_tmp / "other.json")
    send(studio, {"type": "load_project", "path": "other.json"})
    assert studio.project is project and project.fps == 3 and [k.prompt for k in project.keyframes] == ["x", "y"]
    send(studio, {"type": "load_project", "path": "missing.json"})
    assert "cannot read project file" in studio.error and "missing.json" in studio.error
    assert project.fps == 3


def test_the_panel_keeps_project_files_inside_the_notebooks_folder(in_tmp):
    (in_tmp / "nb").mkdir()
    import os

    os.chdir(in_tmp / "nb")
    studio = Studio()
    for outside in ("../escape.json", str(in_tmp / "elsewhere.json"), "sub/../../escape.json"):
        send(studio, {"type": "save_project", "path": outside})
        assert "only inside" in studio.error, outside
        send(studio, {"type": "load_project", "path": outside})
        assert "only inside" in studio.error
    assert not (in_tmp / "escape.json").exists() and not (in_tmp / "elsewhere.json").exists()
    send(studio, {"type": "save_project", "path": "sub/inside"})
    assert Project.from_json(in_tmp / "nb" / "sub" / "inside.json") == studio.project


def test_saving_from_the_panel_never_overwrites_a_file_that_is_not_a_project(in_tmp):
    studio = Studio()
    (in_tmp / "package.json").write_text('{"name": "my-app"}\n')
    (in_tmp / "notes.json").write_bytes(b"\xff\xfe not even text")
    for name in ("package.json", "notes.json"):
        before = (in_tmp / name).read_bytes()
        send(studio, {"type": "save_project", "path": name})
        assert "is not a project file of this package" in studio.error
        assert (in_tmp / name).read_bytes() == before
    Project(fps=3).save(in_tmp / "mine.json")
    studio.project.fps = 9
    send(studio, {"type": "save_project", "path": "mine.json"})
    assert Project.from_json(in_tmp / "mine.json").fps == 9, "a project file of this package is replaced"
    studio.save_project("package.json", overwrite=True)  # from code, when asked
    assert Project.from_json(in_tmp / "package.json").fps == 9


def test_an_uploaded_project_file_is_loaded(in_tmp):
    studio = Studio()
    data = Project(fps=4, keyframes=[Keyframe(0, "p"), Keyframe(8, "q")]).to_json().encode()
    send(studio, {"type": "upload", "kind": "project", "name": "shared.json"}, [data])
    assert studio.project.fps == 4 and (in_tmp / "uploads" / "shared.json").exists()


def test_inspire_replaces_or_appends_prompts(monkeypatch):
    studio = Studio()
    wire = Wire(studio, monkeypatch)
    send(studio, {"type": "inspire", "topics": "lighthouses, auroras", "mode": "replace"})
    prompts = [k.prompt for k in studio.project.keyframes]
    assert len(prompts) == 2 and all(prompts) and studio.error == ""
    assert any("lighthouse" in p or "aurora" in p for p in prompts)
    send(studio, {"type": "inspire", "topics": "", "mode": "append"})
    assert all(new.startswith(old.rstrip(" ,")) for new, old in
               zip([k.prompt for k in studio.project.keyframes], prompts, strict=True))
    assert len(wire.updates("project")) == 2


def test_the_vocabulary_reaches_every_widget_once_and_the_panel_hard_codes_none():
    from giffusion_widgets import vocabulary

    for cls in (Studio, Timeline, Waveform, Scrubber):
        widget = cls()
        assert widget.get_state()["vocabulary"] == vocabulary.for_panel()
        widget.close()
    names = dict(vocabulary.for_panel())
    assert [t["value"] for t in names["inspiration_modes"]] == ["replace", "append"]
    assert names["inspiration_modes"][1]["label"] == "append a style phrase to every prompt"
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (STATIC.parent.parent / "js" / "src").glob("*.js"))
    sources = sources.replace('getContext("2d")', "")  # the canvas API's word, not the animation mode
    for name, terms in vocabulary.ALL.items():
        if name == "media_kinds":  # also trait keys and element names of the protocol; their labels come from here
            continue
        if name == "scheduled_settings":  # also the project's field names, which the settings edit by name
            continue
        if name == "keyframe_units":  # "frames" is also a message type; the time axis converts by unit
            continue
        for term in terms:
            assert f'"{term.value}"' not in sources, f"js/src writes out {term.value!r}"


def test_the_panels_test_page_has_the_vocabulary_the_kernel_sends():
    from giffusion_widgets.vocabulary import for_panel

    fixture = STATIC.parent.parent / "js" / "tests" / "fixtures" / "vocabulary.json"
    assert json.loads(fixture.read_text(encoding="utf-8")) == for_panel(), "write it again from vocabulary.for_panel()"


def test_loading_a_pipeline_from_the_panel(monkeypatch):
    studio = Studio()
    assert studio.pipeline_info["state"] == "unloaded"
    wire = Wire(studio, monkeypatch)
    send(studio, {"type": "load_pipeline", "checkpoint": "", "pipeline_class": "NoSuchPipeline"})
    assert studio.wait(120)
    assert studio.pipeline_info["state"] == "failed"
    assert "unknown pipeline class 'NoSuchPipeline'" in studio.error
    assert studio.project.pipeline_class == "NoSuchPipeline"
    send(studio, {"type": "load_pipeline", "checkpoint": "", "pipeline_class": ""})
    assert studio.wait(300)
    info = studio.pipeline_info
    assert info["state"] == "ready" and info["pipeline_class"] == "StableDiffusionPipeline"
    assert "prompt_embeds" in info["accepts"] and studio.pipeline is not None
    assert info["builtin"] is True and info["device"] and info["dtype"]  # the panel words them ("CPU")
    assert [u["state"] for u in wire.updates("pipeline_info")][:2] == ["loading", "failed"]
    assert studio.project.pipeline_class is None


def test_the_pipeline_section_says_what_the_embedded_model_knows(pipe):
    from giffusion_widgets.engine import embedded_world
    from giffusion_widgets.widgets.pipeline_source import describe_pipeline

    knows = describe_pipeline(pipe)["knows"]
    for word in (*embedded_world.COLOURS, *embedded_world.SHAPES, *embedded_world.BACKGROUNDS):
        assert word in knows


def test_a_project_assigned_from_code_is_followed_even_when_it_equals_the_last_one():
    # traitlets reports no change for an equal value, so an equal new object must still become the session's
    widget = Timeline(Project())
    again = Project()
    widget.project = again
    assert widget.session.project is again
    again.fps = 12
    assert widget.sync()
    assert widget.get_state()["project"]["fps"] == 12
    widget.close()
