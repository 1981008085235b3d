"""What the panel's schedule lanes draw (the `schedules` trait), computed here so the panel never evaluates a
schedule itself: each scheduled setting whose value is schedule text, evaluated on every frame by
`evaluate_schedule` (with the audio's energy, onsets and tempo once the audio is analysed), its points when every
key is a constant, or what is wrong with the text and at which column. A setting holding a plain number needs no
curve: the panel draws it flat.

    {"fps": 12, "num_frames": 48, "audio": "none" | "pending" | "ready",
     "curves": {"zoom": {"text": "0:(1), 24:(1.05)", "interpolation": "linear", "stride": 1,
                         "values": [1.0, ...], "points": [[0, 1.0], [24, 1.05]], "error": None}}}

`values` holds every `stride`-th frame (1 up to MAX_SAMPLES frames). The view follows what the panel holds: the
applied project, and also settings the kernel refused, so a lane shows the error of the text that was typed.
It sends only when something changed.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ScheduleError
from ..project import SCHEDULED, Project
from ..schedules import evaluate_schedule, schedule_points

MAX_SAMPLES = 20_000  # values per lane: one a frame up to here, then every stride-th frame

EMPTY: dict = {"fps": None, "num_frames": 0, "audio": "none", "curves": {}}


def _num_frames(data: Mapping) -> int:
    """The animation's frames for `data` (a project dict that may hold values the kernel refused)."""
    try:
        return max(1, Project.from_dict(copy.deepcopy(dict(data))).num_frames)
    except Exception:  # refused for its types: the frames the keyframes say, if they can say it
        frames = [k.get("frame") for k in data.get("keyframes") or [] if isinstance(k, Mapping)]
        whole = [f for f in frames if isinstance(f, int) and not isinstance(f, bool) and f >= 0]
        return max(whole, default=0) + 1


def curve(text: str, name: str, num_frames: int, fps: float, interpolation: str,
          audio: Mapping[str, Any] | None) -> dict:
    """One lane's curve: {text, interpolation, stride, values, points, error}."""
    out: dict[str, Any] = {"text": text, "interpolation": interpolation, "stride": 1, "values": None,
                           "points": None, "error": None}
    try:
        values = evaluate_schedule(text, num_frames, fps=fps, interpolation=interpolation, setting=name,
                                   **(audio or {}))
    except ScheduleError as exc:
        out["error"] = {"message": exc.reason, "column": exc.column}
        return out
    stride = max(1, math.ceil(num_frames / MAX_SAMPLES))
    out["stride"], out["values"] = stride, [float(v) for v in values[::stride]]
    try:
        out["points"] = [[int(f), float(v)] for f, v in schedule_points(text, name)]
    except ScheduleError:  # keys with expressions: a curve, no points to drag
        pass
    return out


class ScheduleView:
    """`audio(data)` gives the schedules' audio variables for a project dict (see schedule.schedule_audio): a
    mapping, or "pending" while the analysis of its audio is not ready. It is asked only for a text that names an
    audio variable, once per change."""

    def __init__(self, on_state: Callable[[str, Any], None],
                 audio: Callable[[Mapping], Mapping[str, Any] | str | None]) -> None:
        self._on_state, self._audio = on_state, audio
        self.schedules: dict = dict(EMPTY)
        self._kept: dict[tuple, dict] = {}  # (name, text, frames, fps, interpolation, audio, state) -> curve

    def follow(self, data: Mapping) -> None:
        """Describe the schedules of `data`, a project dict (the applied project or the panel's refused one)."""
        texts = {name: data.get(name) for name in SCHEDULED if isinstance(data.get(name), str)}
        fps = data.get("fps")
        if not (isinstance(fps, (int, float)) and not isinstance(fps, bool) and math.isfinite(fps) and fps > 0):
            fps = None
        frames = _num_frames(data)
        interpolations = data.get("schedule_interpolation")
        interpolations = interpolations if isinstance(interpolations, Mapping) else {}
        source = (data.get("audio_input"), data.get("audio_component"))
        audio: list = []  # the audio variables, fetched once and only for a text that may read them

        def audio_of() -> tuple[str, Mapping[str, Any] | None]:
            if not audio:
                found = self._audio(data) if data.get("audio_input") else None
                if found is None or found == "pending":
                    state = "pending" if data.get("audio_input") else "none"
                    # as Project.problems checks them: silence, until the analysis is ready
                    found = {"energy": [0.0] * frames, "onsets": [], "tempo": 120.0} if state == "pending" else None
                else:
                    state = "ready"
                audio.extend([state, found])
            return audio[0], audio[1]

        curves, kept, states = {}, {}, set()
        for name, text in texts.items():
            interpolation = str(interpolations.get(name, "linear"))
            reads_audio = any(word in text for word in ("energy", "onset", "beat"))
            state, variables = audio_of() if reads_audio and fps is not None else ("none", None)
            states.add(state)
            key = (name, text, frames, fps, interpolation, source if reads_audio else None, state)
            if key in self._kept:
                curves[name] = self._kept[key]
            elif fps is None:
                curves[name] = {"text": text, "interpolation": interpolation, "stride": 1, "values": None,
                                "points": None, "error": {"message": "fps must be a number above 0", "column": None}}
            else:
                curves[name] = curve(text, name, frames, fps, interpolation, variables)
            kept[key] = curves[name]
        self._kept = kept
        state = "pending" if "pending" in states else "ready" if "ready" in states else "none"
        new = {"fps": fps, "num_frames": frames, "audio": state, "curves": curves}
        if new != self.schedules:
            self.schedules = new
            self._on_state("schedules", new)

    def audio_ready(self, data: Mapping) -> None:
        """The audio's analysis has arrived: curves that read it are made again."""
        self._kept = {key: value for key, value in self._kept.items() if key[-1] != "pending"}
        self.follow(data)
