"""The `project` trait: the live Project object in Python, its `to_dict()` in the browser.

- A panel edit arrives as a whole dict and is assigned field by field into the SAME Project object, so a reference
  a cell holds (`p = studio.project`) sees it.
- A cell that changes the object (`studio.project.fps = 12`, `studio.project.keyframes.append(...)`) reaches the
  panel when the cell finishes (an IPython post_run_cell callback compares with what the panel has), or at once
  with `widget.sync()`.
- `widget.project = other` swaps the object and updates the panel.
- A dict that cannot become a Project leaves the Project as it was and says why in `error`; the panel keeps what
  the user typed. Values a render would refuse (`Project.problems()`) are kept and named in `error` until fixed.
"""

from __future__ import annotations

import copy
import dataclasses
import weakref
from typing import Any

import traitlets

from ..project import Project
from .messages import MessageRouter


def _to_json(project: Project | None, _widget: Any) -> dict | None:
    return None if project is None else project.to_dict()


def _from_json(data: Any, widget: ProjectSync) -> Project:
    return widget._project_from_browser(data)


class _AfterCell:
    """An IPython post_run_cell callback that holds its widget weakly and leaves once the widget is gone."""

    def __init__(self, widget: ProjectSync, events: Any) -> None:
        self._ref = weakref.ref(widget)
        self._events = events

    def __call__(self, *_: Any) -> None:
        widget = self._ref()
        if widget is None or getattr(widget, "comm", None) is None:
            self.unregister()
            return
        try:
            widget.sync()
        except Exception as exc:  # noqa: BLE001 - e.g. a value that is not JSON; say so in the panel, not per cell
            widget._report(exc)

    def unregister(self) -> None:
        try:
            self._events.unregister("post_run_cell", self)
        except ValueError:
            pass


class ProjectSync(MessageRouter):
    project = traitlets.Instance(Project).tag(sync=True, to_json=_to_json, from_json=_from_json)

    def _init_project_sync(self) -> None:
        """Call after the widget's __init__ has set `project`."""
        # The project as last exchanged with the panel: code changed it when to_dict() differs.
        self._known: dict = self.project.to_dict()
        self._after_cell: _AfterCell | None = None
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with ipywidgets
            return
        shell = get_ipython()
        if shell is not None:
            self._after_cell = _AfterCell(self, shell.events)
            shell.events.register("post_run_cell", self._after_cell)

    # ------------------------------------------------------------------ python -> panel
    def sync(self) -> bool:
        """Send the project to the panel if code changed it since; True when something was sent."""
        current = self.project.to_dict()
        if current == self._known:
            return False
        old, self._known = self._known, current
        self.send_state("project")  # type: ignore[attr-defined]
        self._check_project()
        self._project_edited(old, current)
        return True

    @traitlets.observe("project")
    def _on_project_replaced(self, change: dict) -> None:
        # Only a new object lands here: panel edits change the same object, which traitlets does not report.
        old = change["old"].to_dict() if isinstance(change["old"], Project) else {}
        self._known = change["new"].to_dict()
        if hasattr(self, "_error_source"):
            self._check_project()
            self._project_edited(old, self._known)

    # ------------------------------------------------------------------ panel -> python
    def _project_from_browser(self, data: Any) -> Project:
        project = self.project
        try:
            if not isinstance(data, dict):
                raise TypeError(f"expected an object of settings, got {type(data).__name__}")
            incoming = Project.from_dict(copy.deepcopy(data))
        except Exception as exc:  # noqa: BLE001 - keep the Project; the panel keeps the edit and shows why
            # `_known` stays as it was, so the next cell does not push the old settings over the user's edit.
            self._set_error(f"the panel's settings were not applied: {exc}", source="project")
            return project
        old = project.to_dict()
        self.assign(incoming)
        self._known = project.to_dict()
        self._check_project()
        self._project_edited(old, self._known)
        return project

    def assign(self, other: Project) -> None:
        """Copy every setting of `other` into the live project (fields that differ only): the object stays the
        same, so references held elsewhere see the change. Does not notify the panel; see `sync()`."""
        for f in dataclasses.fields(Project):
            value = getattr(other, f.name)
            if getattr(self.project, f.name) != value:
                setattr(self.project, f.name, value)

    def _check_project(self) -> None:
        try:
            problems = self.project.problems()
        except Exception as exc:  # noqa: BLE001 - a value of the wrong type makes the checks themselves fail
            problems = [f"a setting has a value of the wrong type: {exc}"]
        if problems:
            self._set_error("; ".join(map(str, problems)), source="project")
        elif self._error_source == "project":
            self._set_error("")

    def _project_edited(self, old: dict, new: dict) -> None:
        """Hook: the project changed from `old` to `new` (dicts), by the panel or by code. Mixins extend it."""

    def close(self) -> None:
        if getattr(self, "_after_cell", None) is not None:
            self._after_cell.unregister()
            self._after_cell = None
        super().close()  # type: ignore[misc]
