"""Waveform: the project's audio drawn with its onsets; clicking an onset adds a keyframe there."""

from __future__ import annotations

import os
from typing import Any

import anywidget
import traitlets

from ..project import Project
from .assets import STYLE, esm
from .audio_source import AudioSource


class Waveform(AudioSource, anywidget.AnyWidget):
    """Show `audio` (a file path), or the audio of `project`. Given both, `audio` becomes the project's audio_input.

    `waveform.project` is the live Project: keyframes added on onsets land in it.
    """

    _esm = esm("waveform")
    _css = STYLE

    frame = traitlets.Int(0).tag(sync=True)

    def __init__(self, audio: str | os.PathLike | None = None, project: Project | None = None, **kwargs: Any) -> None:
        project = project if project is not None else Project()
        if audio is not None:
            project.audio_input = os.fspath(audio)
        super().__init__(project=project, **kwargs)
        self._init_messages()
        self._init_audio()
        self._init_project_sync()
        self._check_project()
        self._project_edited({}, self._known)
