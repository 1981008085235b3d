"""The project's audio for the browser: peaks to draw and onsets to mark (`peaks`), and the compressed file to play
(`audio`, `audio_mime`), sent once each time `project.audio_input` changes. Analysis runs in a background thread:
the first one in a fresh environment compiles librosa's code and takes a while."""

from __future__ import annotations

import math
from typing import Any

import traitlets

from .jobs import Jobs
from .project_sync import ProjectSync

# Peak columns: enough to stay sharp when zoomed in on a few seconds, a few hundred kB of JSON at most.
COLUMNS_PER_SECOND = 200
MIN_COLUMNS, MAX_COLUMNS = 2000, 20000


def peak_columns(duration: float) -> int:
    return int(min(MAX_COLUMNS, max(MIN_COLUMNS, math.ceil(duration * COLUMNS_PER_SECOND))))


class AudioSource(ProjectSync):
    peaks = traitlets.Dict({}).tag(sync=True)
    audio = traitlets.Bytes(b"").tag(sync=True)
    audio_mime = traitlets.Unicode("").tag(sync=True)

    def _init_audio(self) -> None:
        self._analysis: Any = None  # AudioAnalysis of project.audio_input, once loaded
        self._jobs = getattr(self, "_jobs", None) or Jobs(self._report)

    def _project_edited(self, old: dict, new: dict) -> None:
        super()._project_edited(old, new)
        if old.get("audio_input") != new.get("audio_input"):
            self._load_audio(new.get("audio_input"))

    def _load_audio(self, path: str | None) -> None:
        self._analysis = None
        if not path:
            self.peaks, self.audio, self.audio_mime = {}, b"", ""
            self._audio_loaded(None)
            return
        self._jobs.start(self._analyze, path, name="audio")

    def _analyze(self, path: str) -> None:
        from ..media.audio import analyze_audio

        analysis = analyze_audio(path)
        peaks = analysis.peaks(peak_columns(analysis.duration))
        data, mime = analysis.playback_bytes()
        if self.project.audio_input != path:  # the user moved on to another file meanwhile
            return
        self._analysis = analysis
        self.audio_mime = mime
        self.audio = data
        self.peaks = peaks
        self._audio_loaded(analysis)

    def audio_analysis(self) -> Any:
        """The project's audio analysed (waiting for a load in progress), or None without audio."""
        if self._analysis is None and self.project.audio_input:
            self._jobs.wait()
            if self._analysis is None or str(self._analysis.path) != str(self.project.audio_input):
                from ..media.audio import analyze_audio

                self._analysis = analyze_audio(self.project.audio_input)
        return self._analysis

    def _audio_loaded(self, analysis: Any) -> None:
        """Hook: new audio analysed (None: no audio)."""

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for background work (audio analysis, pipeline loading) to finish; True when it has."""
        return self._jobs.wait(timeout)
