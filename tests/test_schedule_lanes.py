"""What the panel's schedule lanes are sent (widgets/schedule_view.py through a Session): each schedule's curve as
evaluate_schedule makes it, its points, the error of text the kernel refused at its column, sent once per change,
and curves that read the audio made again with the real analysis once it is ready."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from media_factory import clicks_file

from giffusion_widgets import Keyframe, Project, evaluate_schedule
from giffusion_widgets.schedule import schedule_audio
from giffusion_widgets.session import Session
from giffusion_widgets.widgets.schedule_view import MAX_SAMPLES


class Recorder:
    def __init__(self):
        self.states: list[tuple[str, object]] = []
        self.lock = threading.Lock()

    def __call__(self, name, value):
        with self.lock:
            self.states.append((name, value))

    def sent(self, name="schedules"):
        return [v for n, v in self.states if n == name]


def make(tmp_path, project):
    panel = Recorder()
    session = Session(project, runs_dir=tmp_path / "runs", uploads_dir=tmp_path / "uploads", root=tmp_path,
                      on_state=panel)
    return session, panel


def two_keyframes(**settings):
    return Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(24, "a blue square")], fps=12, **settings)


def test_each_schedule_text_is_sent_as_its_curve_and_points(tmp_path):
    session, panel = make(tmp_path, two_keyframes(zoom="0:(1), 12:(1.1)", angle="0:(2*sin(t/4))", strength=0.4))
    sent = session.schedule_view.schedules
    assert sent == panel.sent()[-1]
    assert (sent["fps"], sent["num_frames"], sent["audio"]) == (12, 25, "none")
    assert set(sent["curves"]) == {"zoom", "angle"}, "a plain number needs no curve"
    zoom = sent["curves"]["zoom"]
    assert zoom["values"] == evaluate_schedule("0:(1), 12:(1.1)", 25, fps=12).tolist()
    assert zoom["points"] == [[0, 1.0], [12, 1.1]] and zoom["error"] is None and zoom["stride"] == 1
    angle = sent["curves"]["angle"]
    assert angle["points"] is None, "keys that change with the frame are not points"
    assert np.allclose(angle["values"], 2 * np.sin(np.arange(25) / 4))
    json.dumps(sent, allow_nan=False)  # what a trait can carry


def test_the_curves_are_sent_once_per_change(tmp_path):
    session, panel = make(tmp_path, two_keyframes(zoom="0:(1), 12:(1.1)"))
    data = session.project.to_dict()
    before = len(panel.sent())
    session.apply_panel({**data, "seed": 7})  # nothing a lane draws changed
    assert len(panel.sent()) == before
    session.apply_panel({**data, "seed": 7, "zoom": "0:(1), 12:(1.2)"})
    assert len(panel.sent()) == before + 1
    assert panel.sent()[-1]["curves"]["zoom"]["values"][12] == 1.2
    session.apply_panel({**data, "seed": 7, "zoom": "0:(1), 12:(1.2)", "schedule_interpolation": {"zoom": "step"}})
    assert panel.sent()[-1]["curves"]["zoom"]["values"][11] == 1.0
    session.project.keyframes.append(Keyframe(48, "a green triangle"))  # from code: the curve grows
    session.refresh()
    assert len(panel.sent()[-1]["curves"]["zoom"]["values"]) == 49


def test_refused_text_keeps_the_project_and_the_lane_says_where_it_is_wrong(tmp_path):
    session, panel = make(tmp_path, two_keyframes(zoom="0:(1), 12:(1.1)"))
    typed = "0:(\U0001d461), 5:(x)"  # an astral letter before the error: columns count code points
    session.apply_panel({**session.project.to_dict(), "zoom": typed})
    assert session.project.zoom == "0:(1), 12:(1.1)", "not applied"
    assert [p["field"] for p in session.problems] == ["zoom"]
    zoom = panel.sent()[-1]["curves"]["zoom"]
    assert zoom["text"] == typed and zoom["values"] is None
    assert zoom["error"]["column"] == 11 and "unknown name 'x'" in zoom["error"]["message"]
    assert list(typed)[zoom["error"]["column"] - 1] == "x"
    session.apply_panel({**session.project.to_dict(), "zoom": "0:(1), 5:(1.5)"})
    assert session.project.zoom == "0:(1), 5:(1.5)"
    assert panel.sent()[-1]["curves"]["zoom"]["error"] is None and session.problems == []


def test_a_long_animation_sends_every_stride_th_frame(tmp_path):
    frames = 3 * MAX_SAMPLES
    project = Project(keyframes=[Keyframe(0, "a"), Keyframe(frames - 1, "b")], fps=24, zoom="0:(1), 100:(2)")
    session, _ = make(tmp_path, project)
    zoom = session.schedule_view.schedules["curves"]["zoom"]
    assert zoom["stride"] == 3 and len(zoom["values"]) == MAX_SAMPLES
    assert zoom["values"][:34] == evaluate_schedule("0:(1), 100:(2)", frames, fps=24)[::3][:34].tolist()


def test_curves_that_read_the_audio_wait_for_its_analysis_then_use_it(tmp_path):
    audio = clicks_file(tmp_path, [0.5, 1.0, 1.5], duration=2.0)
    project = two_keyframes(zoom="0:(1 + 0.1*energy)", angle="0:(3)", audio_input=str(audio))
    session, panel = make(tmp_path, project)
    pending = session.schedule_view.schedules
    if pending["audio"] == "pending":  # the analysis runs in a background job
        assert pending["curves"]["zoom"]["values"] == [1.0] * 25, "silence until then"
    assert session.wait(120)
    ready = panel.sent()[-1]
    assert ready["audio"] == "ready"
    analysis = session.renderer.audio_analysis(str(audio))
    expected = evaluate_schedule("0:(1 + 0.1*energy)", 25, fps=12, **schedule_audio(session.project, analysis))
    assert ready["curves"]["zoom"]["values"] == expected.tolist()
    assert max(expected) > 1.05, "the clicks are loud somewhere"
    assert ready["curves"]["angle"] == pending["curves"]["angle"], "a curve that reads no audio is as it was"


@pytest.mark.parametrize("fps", [0, "12"])
def test_a_bad_fps_is_an_error_of_the_lane_not_an_exception(tmp_path, fps):
    session, panel = make(tmp_path, two_keyframes(zoom="0:(1), 12:(1.1)"))
    session.apply_panel({**session.project.to_dict(), "fps": fps})
    zoom = panel.sent()[-1]["curves"]["zoom"]
    assert zoom["values"] is None and "fps" in zoom["error"]["message"]


def test_the_lanes_vocabulary_names_every_scheduled_setting_in_order():
    from giffusion_widgets.project import SCHEDULED
    from giffusion_widgets.vocabulary import SCHEDULED_SETTINGS, for_panel

    assert SCHEDULED_SETTINGS == SCHEDULED
    assert [t["label"] for t in for_panel()["scheduled_settings"]][:2] == ["Strength", "Guidance"]


def test_the_studio_sends_the_curves_in_its_schedules_trait(tmp_path, monkeypatch):
    from giffusion_widgets import Studio

    monkeypatch.chdir(tmp_path)
    studio = Studio(project=two_keyframes(zoom="0:(1), 12:(1.1)"))
    try:
        assert studio.schedules["curves"]["zoom"]["points"] == [[0, 1.0], [12, 1.1]]
        studio.project.angle = "0:(0), 24:(5)"
        studio.sync()
        assert studio.schedules["curves"]["angle"]["values"][12] == 2.5
        assert "schedules" in studio.get_state()
    finally:
        studio.close()
