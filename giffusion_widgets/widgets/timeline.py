"""Timeline: the keyframes of a Project on a frame axis, with an editor and the same keyframes as text."""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from ..project import Project
from .assets import STYLE, esm
from .project_sync import ProjectSync


class Timeline(ProjectSync, anywidget.AnyWidget):
    """Edit a project's keyframes. `timeline.project` is the live Project (shared with any code that holds it)."""

    _esm = esm("timeline")
    _css = STYLE

    frame = traitlets.Int(0).tag(sync=True)

    def __init__(self, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(project=project if project is not None else Project(), **kwargs)
        self._init_messages()
        self._init_project_sync()
        self._check_project()
