"""The beat grid: a tempo from the audio (or typed in), and frame <-> second <-> beat conversion.

librosa's beat tracker finds the beat times; its own tempo is quantised to its tempogram's bins (a 137 BPM click
track reads as 136), so the tempo here is the slope of a straight line fitted through the beat times instead, which
uses every beat. The grid's first beat (`offset`, seconds) comes from the same line, so bars line up with the music.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import MediaError, ProjectError


@dataclass(frozen=True)
class Tempo:
    """A tempo found in audio: beats per minute, the first beat (seconds) and every beat time (seconds)."""

    bpm: float
    offset: float
    beats: tuple[float, ...]


def fitted_grid(beat_times: Any) -> tuple[float, float]:
    """(beats per minute, the grid's first beat in seconds) from beat times: the least-squares line through
    (index, time); its slope is the beat's length, its intercept brought back to the first beat at or after 0 s
    (the tracker often skips the first beats, so the first time found may be a few beats in)."""
    times = np.asarray(beat_times, dtype=float)
    if times.size < 2:
        raise MediaError("too few beats to measure a tempo (at least two are needed)")
    slope, intercept = (float(v) for v in np.polyfit(np.arange(times.size), times, 1))
    if slope <= 0:
        raise MediaError("the beats found do not advance in time")
    return 60.0 / slope, intercept % slope


def fitted_bpm(beat_times: Any) -> float:
    """Beats per minute from beat times (see fitted_grid)."""
    return fitted_grid(beat_times)[0]


def tempo_of(audio: Any) -> Tempo:
    """The tempo of an audio file (a path) or an AudioAnalysis; MediaError when it has too few beats."""
    from .media.audio import AudioAnalysis, analyze_audio
    from .media.librosa_setup import librosa

    analysis = audio if isinstance(audio, AudioAnalysis) else analyze_audio(os.fspath(audio))
    if analysis.is_silent("combined"):
        raise MediaError(f"{analysis.path.name} is silent: there is no beat to find; type a tempo instead")
    lib = librosa()
    _, frames = lib.beat.beat_track(y=analysis.samples, sr=analysis.sr, units="frames")
    times = lib.frames_to_time(np.asarray(frames), sr=analysis.sr)
    if times.size < 2:
        raise MediaError(f"{analysis.path.name}: too few beats to measure a tempo; type a tempo instead")
    bpm, offset = fitted_grid(times)
    return Tempo(round(bpm, 2), round(offset, 4), tuple(round(float(t), 4) for t in times))


def frames_per_beat(bpm: float, fps: float) -> float:
    return fps * 60.0 / bpm


def beat_of_frame(frame: float, bpm: float, fps: float) -> float:
    return frame / frames_per_beat(bpm, fps)


def frame_of_beat(beat: float, bpm: float, fps: float) -> int:
    return int(round(beat * frames_per_beat(bpm, fps)))


def retimed_frame(frame: int, old_fps: float, new_fps: float) -> int:
    """The frame at the same second at another frame rate (a beat stays where it is as long as its second does)."""
    return int(round(frame * new_fps / old_fps))


def retime_keyframes(frames: list[int], old_fps: float, new_fps: float) -> list[int]:
    """Keyframe frames moved to the same seconds at `new_fps`; ProjectError when two would land on one frame."""
    moved = [retimed_frame(f, old_fps, new_fps) for f in frames]
    if len(set(moved)) != len(moved):
        seen: dict[int, int] = {}
        for before, after in zip(frames, moved, strict=True):
            if after in seen:
                raise ProjectError(f"at {new_fps:g} fps the keyframes at frames {seen[after]} and {before} would "
                                   f"both fall on frame {after}: move one of them first")
            seen[after] = before
    return moved
