"""Scrubber: the frames of a run, kept in the browser for scrubbing and playback at the project's fps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anywidget

from ..project import Project
from .assets import STYLE, esm
from .frame_stream import describe_run
from .send_back import SendBack


class Scrubber(SendBack, anywidget.AnyWidget):
    """Scrub the frames of an Animation: `Scrubber(animation)` or later `scrubber.show(animation)`.

    Its buttons send a frame or the video back as an input of `project` (the animation's project unless given).
    """

    _esm = esm("scrubber")
    _css = STYLE

    def __init__(self, animation: Any = None, project: Project | None = None, **kwargs: Any) -> None:
        if project is None:
            project = animation.project.copy() if animation is not None else Project()
        super().__init__(project=project, **kwargs)
        self._init_messages()
        self._init_frames()
        self._init_project_sync()
        self._animation = None
        if animation is not None:
            self.show(animation)

    def show(self, animation: Any) -> None:
        """Show an Animation's frames (a finished or cancelled run)."""
        self._animation = animation
        frames = [Path(p) for p in animation.frames]
        self._show_frames(Path(animation.run_dir).name, frames, total=max(len(frames), animation.project.num_frames))
        self.status = describe_run(animation)

    def show_frames(self, paths: list[str | os.PathLike], run_id: str = "frames") -> None:
        """Show PNG files as frames 0.. (any list of image files the browser can display)."""
        self._animation = None
        self._show_frames(run_id, [Path(p) for p in paths])
        self.status = {"state": "finished", "message": "", "done": len(paths), "total": len(paths), "eta": 0.0}
