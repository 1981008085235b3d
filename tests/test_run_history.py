"""The panel's drafts, frame ranges, tempo, fps that keeps keyframes on their second, and the run history with
restore and one undo: through the Studio's own message table, with the real embedded pipeline."""

from __future__ import annotations

import media_factory as mf
import pytest
from test_widgets import Wire, edited, from_browser, send

from giffusion_widgets.widgets.run_history import HISTORY_SIZE


def test_the_draft_button_renders_the_keyframes_only_as_a_storyboard(studio, monkeypatch):
    wire = Wire(studio, monkeypatch)
    send(studio, {"type": "draft"})
    assert studio.wait(120)
    animation = studio.animation
    assert animation.draft and studio.error == ""
    assert sorted(c["index"] for c, _ in wire.custom("frame")) == [0, 4, 8]  # the keyframes
    [entry] = studio.run_history
    assert entry["kind"] == "draft" and entry["frames"] == 3 and entry["output"] == animation.path.read_bytes()


def test_the_range_control_re_renders_only_its_frames_from_the_cache_of_a_full_render(studio, monkeypatch):
    send(studio, {"type": "render"})
    assert studio.wait(120)
    wire = Wire(studio, monkeypatch)
    send(studio, {"type": "render_range", "start": 2, "end": 5})
    assert studio.wait(120)
    assert sorted(c["index"] for c, _ in wire.custom("frame")) == [2, 3, 4, 5]
    assert studio.animation.reused == 4 and studio.animation.rendered == 0
    assert [e["kind"] for e in studio.run_history] == ["range", "render"]
    send(studio, {"type": "render_range", "start": 5, "end": 99})  # past the end: said, nothing started
    assert "not a range" in studio.error and not studio.rendering


def test_history_keeps_the_last_runs_and_restore_brings_settings_back_with_one_undo(studio):
    seeds = [1, 2, 3, 4, 5, 6]
    for seed in seeds:
        studio.project.seed = seed
        studio.draft()  # drafts are quick, and runs of any kind are kept
    history = studio.run_history
    assert len(history) == HISTORY_SIZE
    assert [e["settings"]["seed"] for e in history] == seeds[::-1][:HISTORY_SIZE]
    assert all(e["output"][:6] == b"GIF89a" for e in history)
    oldest = history[-1]
    studio.project.keyframes[0].prompt = "an orange moon"
    send(studio, {"type": "restore_run", "run_id": oldest["run_id"]})
    assert studio.error == ""
    assert studio.project.seed == 2 and studio.project.keyframes[0].prompt == "a red circle"
    send(studio, {"type": "undo_restore"})
    assert studio.project.seed == 6 and studio.project.keyframes[0].prompt == "an orange moon"
    send(studio, {"type": "undo_restore"})
    assert "no restore to undo" in studio.error
    send(studio, {"type": "restore_run", "run_id": "no-such-run"})
    assert "not among the last" in studio.error and studio.project.seed == 6


def test_tempo_from_audio_sets_the_bpm_and_the_first_beat(studio, tmp_path):
    times = [0.2 + i * 0.5 for i in range(20)]  # 120 BPM
    studio.project.audio_input = str(mf.clicks_file(tmp_path, times, 10.5))
    studio.sync()
    send(studio, {"type": "tempo_from_audio"})
    assert studio.wait(180)
    assert studio.error == ""
    assert studio.project.bpm == pytest.approx(120, rel=0.02)
    assert studio.project.beat_offset == pytest.approx(0.2, abs=0.06)  # the grid starts on the first click


def test_an_fps_edit_in_the_panel_keeps_keyframes_on_their_second_when_asked(studio):
    from_browser(studio, project=edited(studio, keyframe_unit="beats", bpm=120))
    from_browser(studio, project=edited(studio, fps=16))  # 8 fps -> 16: frames 0, 4, 8 -> 0, 8, 16
    assert [k.frame for k in studio.project.keyframes] == [0, 8, 16] and studio.project.fps == 16
    from_browser(studio, project=edited(studio, keyframe_unit="frames"))
    from_browser(studio, project=edited(studio, fps=8))
    assert [k.frame for k in studio.project.keyframes] == [0, 8, 16]  # frames stay put
    from_browser(studio, project=edited(studio, keyframe_unit="seconds"))
    from_browser(studio, project=edited(studio, fps=1))  # at 8 fps the keyframes sit on seconds 0, 1 and 2
    assert [k.frame for k in studio.project.keyframes] == [0, 1, 2] and studio.project.fps == 1
    from_browser(studio, project=edited(studio, fps=8))
    data = edited(studio, fps=2)
    data["keyframes"][1]["frame"] = 1  # an edit of the keyframes too: fps alone moves them, so this one does not
    from_browser(studio, project=data)
    assert [k.frame for k in studio.project.keyframes] == [0, 1, 16] and studio.project.fps == 2
    from_browser(studio, project=edited(studio, fps=8))
    from_browser(studio, project=edited(studio, fps=1))  # frames 0 and 1 of 8 fps both fall on frame 0 at 1 fps
    assert studio.project.fps == 8 and [k.frame for k in studio.project.keyframes] == [0, 4, 64]
    assert [p["field"] for p in studio.problems] == ["fps"] and "both fall on frame 0" in studio.problems[0]["message"]
