"""The beat grid: tempo from real audio (librosa's beat tracker on generated click tracks), the project's beat
settings, and keyframes that keep their second (so their beat) when fps changes."""

from __future__ import annotations

import media_factory as mf
import pytest

from giffusion_widgets.beats import beat_of_frame, fitted_bpm, frame_of_beat, retime_keyframes, tempo_of
from giffusion_widgets.errors import MediaError, ProjectError
from giffusion_widgets.media.audio import analyze_audio
from giffusion_widgets.project import Keyframe, Project


@pytest.mark.parametrize("bpm", [90, 120, 137])
def test_the_tempo_of_a_click_track_is_found_within_two_percent(tmp_path, bpm):
    start, duration = 0.25, 12.0
    times = [start + i * 60.0 / bpm for i in range(int((duration - start - 0.2) * bpm / 60))]
    path = mf.clicks_file(tmp_path, times, duration, name=f"clicks-{bpm}")
    tempo = tempo_of(path)
    assert abs(tempo.bpm - bpm) / bpm < 0.02, tempo.bpm
    assert tempo.offset == pytest.approx(start, abs=0.06)  # the grid starts on the first click
    assert len(tempo.beats) >= len(times) // 2
    # the analysis the studio already holds gives the same answer
    assert tempo_of(analyze_audio(path)).bpm == tempo.bpm


def test_silence_has_no_tempo_and_says_so(tmp_path):
    with pytest.raises(MediaError, match="silent"):
        tempo_of(mf.silence_file(tmp_path, 3.0))


def test_the_fitted_tempo_uses_every_beat():
    assert fitted_bpm([0.5 + i * 60 / 137 for i in range(20)]) == pytest.approx(137)
    with pytest.raises(MediaError, match="too few"):
        fitted_bpm([1.0])


def test_frames_and_beats_convert_both_ways():
    assert beat_of_frame(15, bpm=120, fps=10) == pytest.approx(3.0)  # 5 frames a beat at 120 BPM, 10 fps
    assert frame_of_beat(4, bpm=120, fps=10) == 20
    assert frame_of_beat(beat_of_frame(37, 137, 24), 137, 24) == 37


def test_project_beat_settings_are_checked_and_round_trip():
    p = Project(bpm=128.5, beats_per_bar=3, beat_offset=0.25, keyframe_unit="beats")
    assert not p.problems()
    assert Project.from_json(p.to_json()) == p
    assert {q.field for q in Project(bpm=5, beats_per_bar=0, beat_offset=-1, keyframe_unit="bars").problems()} == {
        "bpm", "beats_per_bar", "beat_offset", "keyframe_unit"}
    with pytest.raises(ProjectError, match="bpm"):
        Project.from_dict({"bpm": "fast"})


def test_keyframes_in_seconds_or_beats_keep_their_second_when_fps_changes():
    keyframes = [Keyframe(0, "a"), Keyframe(5, "b"), Keyframe(20, "c")]  # at 10 fps, 120 BPM: beats 0, 1, 4
    for unit in ("seconds", "beats"):
        p = Project(keyframes=[Keyframe(k.frame, k.prompt) for k in keyframes], fps=10, bpm=120, keyframe_unit=unit)
        p.retime(24)
        assert [k.frame for k in p.keyframes] == [0, 12, 48] and p.fps == 24
        assert [beat_of_frame(k.frame, 120, 24) for k in p.keyframes] == [0, 1, 4]
    frames = Project(keyframes=[Keyframe(k.frame, k.prompt) for k in keyframes], fps=10).retime(24)
    assert [k.frame for k in frames.keyframes] == [0, 5, 20]  # the unit "frames" keeps the frame numbers


def test_a_retime_that_would_merge_keyframes_is_refused_and_changes_nothing():
    p = Project(keyframes=[Keyframe(0, "a"), Keyframe(1, "b"), Keyframe(2, "c")], fps=24, keyframe_unit="seconds")
    with pytest.raises(ProjectError, match="frames 0 and 1 would both fall on frame 0"):
        p.retime(1)
    assert [k.frame for k in p.keyframes] == [0, 1, 2] and p.fps == 24
    with pytest.raises(ProjectError, match="fps"):
        p.retime(0)
    assert retime_keyframes([0, 10], 10, 30) == [0, 30]
