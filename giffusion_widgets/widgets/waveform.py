"""Waveform: the project's audio drawn with its onsets; clicking an onset adds a keyframe there."""

from __future__ import annotations

import os
from typing import Any

import traitlets

from ..project import Project
from .assets import esm
from .panel import Panel


class Waveform(Panel):
    """Show `audio` (a file path), or the audio of `project`. Given both, `audio` becomes the project's audio_input.

    `waveform.project` is the live Project: keyframes added on onsets land in it. Analysis runs in the background
    (the first in a fresh environment compiles librosa's code and takes a while); `waveform.wait()` waits for it.
    """

    _esm = esm("waveform")

    frame = traitlets.Int(0).tag(sync=True)
    peaks = traitlets.Dict({}).tag(sync=True)
    onsets = traitlets.Dict({}).tag(sync=True)  # {fps, <component>: {times, frames}}: frames computed here only
    audio = traitlets.Bytes(b"").tag(sync=True)
    audio_mime = traitlets.Unicode("").tag(sync=True)

    def __init__(self, audio: str | os.PathLike | None = None, project: Project | None = None, **kwargs: Any) -> None:
        project = project if project is not None else Project()
        if audio is not None:
            project.audio_input = os.fspath(audio)
        super().__init__(self.new_session(project, describes=("audio",)), **kwargs)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the audio analysis; True when it has finished."""
        return self.session.wait(timeout)
