"""Studio: the whole panel, bound to a Project and a Renderer."""

from __future__ import annotations

import os
from typing import Any

import anywidget

from ..project import Keyframe, Project
from .assets import STYLE, esm
from .jobs import Jobs
from .media_inputs import MediaInputs
from .render_control import RenderControl


class Studio(RenderControl, MediaInputs, anywidget.AnyWidget):
    """The panel: keyframes, audio, frames, settings, Render.

    - `pipeline`: a loaded diffusers pipeline; None loads the project's checkpoint on the first render (none set:
      the embedded offline pipeline).
    - `project`: the Project to edit (a new default one if None). `studio.project` is the live object: the panel
      and cells see each other's changes.
    - `runs_dir`: where run folders and the frame cache go; `uploads_dir`: where files chosen in the panel are saved.
    """

    _esm = esm("studio")
    _css = STYLE

    def __init__(self, pipeline: Any = None, project: Project | None = None, runs_dir: str | os.PathLike = "runs",
                 uploads_dir: str | os.PathLike = "uploads", **kwargs: Any) -> None:
        super().__init__(project=project if project is not None else Project(), **kwargs)
        self._init_messages()
        self._jobs = Jobs(self._report)
        self._init_frames()
        self._init_audio()
        self._init_media(uploads_dir)
        self._init_pipeline(pipeline)
        self._init_render(runs_dir)
        self._init_project_sync()
        self._check_project()
        self._project_edited({}, self._known)

    def inspire(self, topics: str | list[str] | None = None, mode: str = "replace") -> list[Keyframe]:
        """New prompts from `topics` ("replace" the keyframes, or "append" a style to each); return the keyframes."""
        from ..inspire import inspire_keyframes

        self.project.keyframes = inspire_keyframes(self.project, topics or None, mode=mode)
        self.sync()
        return self.project.keyframes

    def _msg_inspire(self, content: dict, _buffers: list[bytes]) -> None:
        mode = content.get("mode") or "replace"
        keyframes = self.inspire(content.get("topics") or None, mode=mode)
        self.notice(f"{len(keyframes)} inspired keyframes ({mode}).")
