"""The studio's behaviour without any widget: a Session with recorders in place of the panel, the embedded pipeline,
real audio files and real renders (64 px, 3 steps)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from media_factory import clicks_file

from giffusion_widgets import Keyframe, Project, ProjectError
from giffusion_widgets.session import Session


class Panel:
    """What a session tells its panel: states by name, messages in order."""

    def __init__(self):
        self.states: list[tuple[str, object]] = []
        self.messages: list[tuple[dict, list]] = []
        self.lock = threading.Lock()

    def on_state(self, name, value):
        with self.lock:
            self.states.append((name, value))

    def on_message(self, content, buffers):
        with self.lock:
            self.messages.append((content, [bytes(b) for b in buffers]))

    def values(self, name):
        return [v for n, v in self.states if n == name]

    def of_type(self, kind):
        return [(c, b) for c, b in self.messages if c["type"] == kind]


@pytest.fixture
def panel():
    return Panel()


def make(panel, tmp_path, project=None, **options):
    return Session(project, runs_dir=tmp_path / "runs", uploads_dir=tmp_path / "uploads", root=tmp_path,
                   on_state=panel.on_state, on_message=panel.on_message, **options)


def test_a_render_streams_its_frames_and_status_to_the_panel(pipe, tiny_project, tmp_path, panel):
    session = make(panel, tmp_path, tiny_project, pipeline=pipe)
    animation = session.render()
    [(run, _)] = panel.of_type("run")
    assert run == {"type": "run", "run": animation.run_dir.name, "total": 9}
    frames = panel.of_type("frame")
    assert sorted(c["index"] for c, _ in frames) == list(range(9))
    assert all(b == [animation.frames[c["index"]].read_bytes()] for c, b in frames)
    states = [s["state"] for s in panel.values("status")]
    assert states[0] == "rendering" and states[-1] == "finished"
    assert session.output == animation.path.read_bytes() and session.output_mime == "image/gif"
    assert session.frame_count == 9 and session.run_id == animation.run_dir.name
    assert session.pipeline_info["state"] == "ready" and session.error == ""


def test_problems_are_data_naming_the_field(tmp_path, panel):
    session = make(panel, tmp_path, Project(fps=0, num_inference_steps=0))
    assert sorted(p["field"] for p in session.problems) == ["fps", "num_inference_steps"]
    assert panel.values("problems")[-1] == session.problems
    with pytest.raises(ProjectError, match="Render cannot start"):
        session.render()
    session.project.fps, session.project.num_inference_steps = 8, 3
    session.refresh()
    assert session.problems == []


def test_closing_a_session_cancels_its_render_and_keeps_the_frames(pipe, tiny_project, tmp_path, panel):
    tiny_project.batch_size = 1
    session = make(panel, tmp_path, tiny_project, pipeline=pipe)
    first_frame = threading.Event()
    original = session.on_render_event

    def watch(event):
        original(event)
        if event.kind == "frame":
            first_frame.set()

    session.on_render_event = watch
    assert session.start_render()
    assert first_frame.wait(120)
    session.close(timeout=60)
    assert not session.rendering
    assert session.status["state"] == "cancelled"
    assert 1 <= len(session.animation.frames) < 9 and all(p.exists() for p in session.animation.frames)


def test_a_stopping_kernel_cancels_a_running_render(tmp_path):
    script = textwrap.dedent(f"""
        import threading
        from giffusion_widgets import Keyframe, Project
        from giffusion_widgets.session import Session

        project = Project(keyframes=[Keyframe(0, "a"), Keyframe(400, "b")], height=64, width=64,
                          num_inference_steps=3, batch_size=1)
        started = threading.Event()
        def on_state(name, value):
            if name == "status" and value["state"] in ("cancelled", "finished"):
                print("END", value["state"], value["done"], flush=True)
            if name == "frame_count" and value >= 1:
                started.set()
        session = Session(project, runs_dir={str(tmp_path / "runs")!r}, on_state=on_state)
        session.start_render()
        started.wait(300)
        print("EXIT", flush=True)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split()
    assert "EXIT" in lines and lines[lines.index("EXIT") + 1:lines.index("EXIT") + 3] == ["END", "cancelled"]


def test_the_waveform_and_the_render_share_one_audio_analysis(pipe, tmp_path, panel, monkeypatch):
    from giffusion_widgets.media import audio

    calls = []
    real = audio.analyze_audio
    monkeypatch.setattr(audio, "analyze_audio", lambda path, *a, **k: calls.append(path) or real(path, *a, **k))
    path = clicks_file(tmp_path, [0.5, 1.0], duration=1.5)
    project = Project(keyframes=[Keyframe(0, "a"), Keyframe(6, "b")], height=64, width=64, num_inference_steps=2,
                      fps=4, audio_input=str(path), audio_timing=True)
    session = make(panel, tmp_path, project, pipeline=pipe)
    assert session.wait(120) and session.inputs.peaks["columns"] > 0
    session.render()
    assert len(calls) == 1, "analysed once for the panel, and the render reused it"


@pytest.mark.parametrize("fps", [10, 12, 24, 30])
def test_onset_frames_come_from_python_and_match_the_audio_keyframes(tmp_path, panel, fps):
    from giffusion_widgets.media.audio import audio_keyframes

    path = clicks_file(tmp_path, [0.25, 0.55, 1.05, 1.45], duration=2.0)
    session = make(panel, tmp_path, Project(fps=fps, audio_input=str(path)), describes=("audio",))
    assert session.wait(120) and session.error == ""
    marks = session.inputs.onsets["percussive"]
    assert session.inputs.onsets["fps"] == fps and len(marks["times"]) == 4
    analysis = session.audio_analysis()
    placed = {k.time: k.frame for k in audio_keyframes(analysis, fps, "percussive")}
    for time, frame in zip(marks["times"], marks["frames"], strict=True):
        assert frame == placed.get(time, frame) == round(time * fps)
    session.project.fps = fps * 2
    session.refresh()
    assert session.wait(60)
    assert session.inputs.onsets["fps"] == fps * 2
    assert session.inputs.onsets["percussive"]["frames"] == [round(t * fps * 2) for t in marks["times"]]


def test_a_failed_render_is_not_reported_after_the_settings_it_failed_on_change(tiny_project, tmp_path, panel):
    tiny_project.scheduler = "NoSuchScheduler"
    session = make(panel, tmp_path, tiny_project)  # the pipeline loads with the render, so the render fails
    with pytest.raises(Exception, match="NoSuchScheduler"):
        session.render()
    assert session.status["state"] == "failed" and "NoSuchScheduler" in session.error
    session.project.scheduler = None
    session.refresh()
    assert session.status["state"] == "idle" and session.error == ""


def test_the_schedulers_offered_for_a_pipeline_are_the_ones_the_engine_accepts(pipe):
    from giffusion_widgets.engine.pipelines import set_scheduler
    from giffusion_widgets.vocabulary import SCHEDULERS
    from giffusion_widgets.widgets.pipeline_source import describe_pipeline

    offered = describe_pipeline(pipe)["schedulers"]
    original = pipe.scheduler
    try:
        for name in SCHEDULERS:
            if name in offered:
                set_scheduler(pipe, name)
                assert type(pipe.scheduler).__name__ == name
            else:
                with pytest.raises(Exception, match="does not work with this pipeline"):
                    set_scheduler(pipe, name)
    finally:
        pipe.scheduler = original
    assert "DDIMScheduler" in offered and "LCMScheduler" not in offered


def test_a_scheduler_the_loaded_pipeline_cannot_take_is_marked_before_a_render(pipe, tiny_project, tmp_path, panel):
    tiny_project.scheduler = "LCMScheduler"
    session = make(panel, tmp_path, tiny_project, pipeline=pipe)
    [problem] = session.problems
    assert problem["field"] == "scheduler" and problem["message"].startswith("LCMScheduler does not work")
    with pytest.raises(ProjectError, match="Render cannot start: LCMScheduler"):
        session.render()
    session.project.scheduler = "DDPMScheduler"  # not in the panel's list, but the engine takes it
    session.refresh()
    assert session.problems == []


def test_the_vocabulary_is_the_one_validation_and_the_engine_use():
    from importlib import import_module

    from giffusion_widgets import project, vocabulary
    from giffusion_widgets.media import audio

    schedule, inspire = import_module("giffusion_widgets.schedule"), import_module("giffusion_widgets.inspire")

    assert set(schedule.EASING) == set(vocabulary.EASINGS)
    assert tuple(audio.COMPONENTS) == vocabulary.AUDIO_COMPONENTS
    assert project.OUTPUT_FORMATS is vocabulary.OUTPUT_FORMATS and project.EASINGS is vocabulary.EASINGS
    assert set(inspire.Mode.__args__) == set(vocabulary.INSPIRATION_MODES)
    for name in vocabulary.EASINGS:  # "custom" follows a curve of its own
        assert not Project(easing=name, easing_curve="0:(0), 30:(1)" if name == "custom" else None).problems()
    assert Project(easing="bounce").problems()


def test_the_docs_list_the_vocabulary_as_it_is():
    architecture = (Path(__file__).resolve().parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    from giffusion_widgets.vocabulary import markdown

    assert markdown() in architecture


def test_render_is_refused_while_the_panel_holds_settings_that_were_not_applied(tmp_path, panel):
    session = make(panel, tmp_path, Project(keyframes=[Keyframe(0, "a red circle")], num_inference_steps=3))
    refused = {**session.project.to_dict(), "num_inference_steps": 0}
    session.apply_panel(refused)
    assert session.project.num_inference_steps == 3  # not applied
    with pytest.raises(ProjectError, match="Render cannot start: num_inference_steps must be at least 1, got 0"):
        session.start_render()
    assert not session.rendering and session.frame_count == 0
    assert [p["field"] for p in session.problems] == ["num_inference_steps"]
    session.apply_panel({**refused, "num_inference_steps": 2})
    assert session.project.num_inference_steps == 2 and session._panel_refused == []


def test_image_keyframes_pictures_reach_the_panel_and_follow_the_keyframes(tmp_path, panel):
    import base64
    import io

    from PIL import Image

    teal, orange = tmp_path / "teal.png", tmp_path / "orange.png"
    Image.new("RGB", (96, 64), (10, 120, 130)).save(teal)
    Image.new("RGB", (64, 64), (250, 140, 20)).save(orange)

    def colours(pictures):
        out = {}
        for path, url in pictures.items():
            assert url.startswith("data:image/png;base64,")
            image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
            out[Path(path).name] = image.getpixel((image.width // 2, image.height // 2))
        return out

    session = make(panel, tmp_path, Project(keyframes=[Keyframe(0, "a red circle", image=str(teal)),
                                                       Keyframe(8, "a blue square")]))
    assert colours(panel.values("keyframe_pictures")[-1]) == {"teal.png": (10, 120, 130)}
    data = session.project.to_dict()  # the panel gives the second keyframe a picture too
    data["keyframes"][1]["image"] = str(orange)
    session.apply_panel(data)
    assert session.project.keyframes[1].image == str(orange)
    assert colours(panel.values("keyframe_pictures")[-1]) == {"teal.png": (10, 120, 130),
                                                             "orange.png": (250, 140, 20)}
