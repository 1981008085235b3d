"""Timeline: the keyframes of a Project on a frame axis, with an editor and the same keyframes as text."""

from __future__ import annotations

from typing import Any

import traitlets

from ..project import Project
from .assets import esm
from .panel import Panel


class Timeline(Panel):
    """Edit a project's keyframes. `timeline.project` is the live Project (shared with any code that holds it)."""

    _esm = esm("timeline")

    frame = traitlets.Int(0).tag(sync=True)

    def __init__(self, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(self.new_session(project, describes=()), **kwargs)
