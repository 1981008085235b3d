"""What the panel shows of the project's media inputs: each input's name and size (`media`), a small picture of the
initial image (`image_preview`), small pictures of the image keyframes' files (`keyframe_pictures`, path -> PNG
data URL, for the timeline), and of the audio its peaks to draw, its onsets with their frames (`onsets`) and the
file to play (`audio`, `audio_mime`). Audio is analysed in a background job: the first analysis in a fresh
environment compiles librosa's code and takes a while."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import GiffusionError
from ..project import Project
from ..vocabulary import AUDIO_COMPONENTS, MEDIA_KINDS
from .jobs import Jobs
from .uploads import describe_image, describe_video

# Peak columns: enough to stay sharp when zoomed in on a few seconds, a few hundred kB of JSON at most.
COLUMNS_PER_SECOND, MIN_COLUMNS, MAX_COLUMNS = 200, 2000, 20000


def peak_columns(duration: float) -> int:
    return int(min(MAX_COLUMNS, max(MIN_COLUMNS, -(-duration * COLUMNS_PER_SECOND // 1))))


def onset_marks(analysis: Any, fps: float) -> dict:
    """Each component's onsets with the frame a keyframe on it takes (`AudioAnalysis.onset_frames`, the rule of
    `audio_keyframes`), so the panel never rounds a time itself."""
    marks: dict[str, Any] = {"fps": fps}
    for name in AUDIO_COMPONENTS:
        times = [round(float(t), 4) for t in analysis.onsets(name)]
        marks[name] = {"times": times, "frames": analysis.onset_frames(name, fps)}
    return marks


def keyframe_images(project: dict) -> list[str]:
    """The picture files of a project dict's image keyframes, in keyframe order."""
    return [k["image"] for k in project.get("keyframes") or [] if isinstance(k, dict) and k.get("image")]


class MediaView:
    """`analyze(path)` gives an audio analysis (the session's one cache); `project()` the live project."""

    def __init__(self, on_state: Callable[[str, Any], None], analyze: Callable[[str], Any], jobs: Jobs,
                 report: Callable[[BaseException], None], project: Callable[[], Project],
                 kinds: frozenset[str]) -> None:
        self._on_state, self._analyze, self._jobs = on_state, analyze, jobs
        self._report, self._project = report, project
        self.kinds = kinds  # the inputs this view describes
        self.media: dict = dict.fromkeys(MEDIA_KINDS)
        self.image_preview = b""
        self.keyframe_pictures: dict[str, str] = {}
        self.peaks: dict = {}
        self.onsets: dict = {}
        self.audio, self.audio_mime = b"", ""

    def _set(self, name: str, value: Any) -> None:
        setattr(self, name, value)
        self._on_state(name, value)

    def follow(self, old: dict, new: dict) -> None:
        """The project changed from `old` to `new` (dicts): describe what changed among the inputs, and mark the
        onsets again for a new fps."""
        for kind in ("image", "video"):
            if kind in self.kinds and old.get(f"{kind}_input") != new.get(f"{kind}_input"):
                self.describe(kind, new.get(f"{kind}_input"))
        if "image" in self.kinds and keyframe_images(old) != keyframe_images(new):
            self.picture_keyframes(keyframe_images(new))
        if "audio" in self.kinds and old.get("audio_input") != new.get("audio_input"):
            self.load_audio(new.get("audio_input"))
        elif old.get("fps") != new.get("fps") and self.peaks:
            self._jobs.start(self.mark_onsets, new.get("audio_input"), name="onsets")

    def describe(self, kind: str, path: str | None) -> None:
        info, preview = None, b""
        if path:
            try:
                info, preview = describe_image(path) if kind == "image" else (describe_video(path), b"")
            except GiffusionError as exc:  # set from code: the project keeps it, the panel says what is wrong
                self._report(exc)
        self._set("media", {**self.media, kind: info})
        if kind == "image":
            self._set("image_preview", preview)

    def picture_keyframes(self, paths: list[str]) -> None:
        """A small picture of each image keyframe's file; one that cannot be read gets none (the project's own
        check names it)."""
        pictures = {}
        for path in paths:
            known = self.keyframe_pictures.get(path)
            if known is not None:
                pictures[path] = known
                continue
            try:
                _, png = describe_image(path)
            except GiffusionError:
                continue
            pictures[path] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        self._set("keyframe_pictures", pictures)

    def load_audio(self, path: str | None) -> None:
        if not path:
            for name, empty in (("peaks", {}), ("onsets", {}), ("audio", b""), ("audio_mime", "")):
                self._set(name, empty)
            self._set("media", {**self.media, "audio": None})
            return
        self._jobs.start(self._show_audio, path, name="audio")

    def _show_audio(self, path: str) -> None:
        analysis = self._analyze(path)
        peaks = analysis.peaks(peak_columns(analysis.duration))
        data, mime = analysis.playback_bytes()
        if self._project().audio_input != path:  # the user moved on to another file meanwhile
            return
        self._set("audio_mime", mime)
        self._set("audio", data)
        self._set("peaks", peaks)
        self.mark_onsets(path)
        self._set("media", {**self.media, "audio": {"name": Path(path).name,
                                                    "duration": round(float(analysis.duration), 3)}})

    def mark_onsets(self, path: str | None) -> None:
        project = self._project()
        fps = project.fps
        if path and path == project.audio_input and isinstance(fps, int) and not isinstance(fps, bool) and fps >= 1:
            self._set("onsets", onset_marks(self._analyze(path), fps))
