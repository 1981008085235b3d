"""Scrubber: the frames of a run, kept in the browser for scrubbing and playback at the project's fps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import traitlets

from ..project import Project
from .assets import esm
from .panel import Handler, Panel
from .run_view import IDLE


class Scrubber(Panel):
    """Scrub the frames of an Animation: `Scrubber(animation)` or later `scrubber.show(animation)`.

    Its buttons send a frame or the video back as an input of `project` (the animation's project unless given).
    """

    _esm = esm("scrubber")

    frame = traitlets.Int(0).tag(sync=True)
    frame_count = traitlets.Int(0).tag(sync=True)
    run_id = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Dict(dict(IDLE)).tag(sync=True)

    def __init__(self, animation: Any = None, project: Project | None = None, **kwargs: Any) -> None:
        if project is None:
            project = animation.project.copy() if animation is not None else Project()
        super().__init__(self.new_session(project, describes=()), **kwargs)
        if animation is not None:
            self.show(animation)

    def messages(self) -> dict[str, Handler]:
        s = self.session
        return {
            "frames": lambda c, b: s.run.resend(int(c.get("from") or 0)),
            "send_frame_to_image": lambda c, b: s.send_frame_to_image(int(c.get("frame", self.frame))),
            "send_video_to_video": lambda c, b: s.send_video_to_video(),
        }

    def show(self, animation: Any) -> None:
        """Show an Animation's frames (a finished or cancelled run)."""
        self.session.run.show_animation(animation)

    def show_frames(self, paths: list[str | os.PathLike], run_id: str = "frames") -> None:
        """Show PNG files as frames 0.. (any list of image files the browser can display)."""
        self.session.run.show_frames(run_id, [Path(p) for p in paths])

    @property
    def animation(self) -> Any:
        return self.session.animation
