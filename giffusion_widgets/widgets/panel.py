"""What every widget of the panel shares: traits bound to a Session, and an explicit table of the messages it takes.

- `project`: the live Project in Python, its `to_dict()` in the browser. A panel edit arrives as a whole dict and
  is applied only when every value is valid, into the SAME Project object (a reference a cell holds sees it);
  otherwise nothing changes and `problems` names each field. A cell that changes the object reaches the panel when
  the cell finishes (an IPython post_run_cell callback), or at once with `widget.sync()`; `widget.project = other`
  swaps the object.
- Messages: `{type: name, ...}` goes to `messages()[name]`. The table is a plain dict rather than anywidget's
  experimental `command`: the panel's messages are one-way (answers come back as traits and notices, which every
  open view of the model must see, not only the one that asked), the same table serves four widget classes, and the
  wire format stays the documented `{type}` protocol (js/README.md) that the browser tests' fake kernel speaks.
- The session's state reaches the trait of the same name when the widget declares one; others are not its concern.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from ..project import Project
from ..session import Session
from ..vocabulary import for_panel
from .assets import STYLE

Handler = Callable[[dict, list], None]


def _to_json(project: Project | None, _widget: Any) -> dict | None:
    return None if project is None else project.to_dict()


def _from_json(data: Any, widget: Panel) -> Project:
    return widget.session.apply_panel(data)


class _AfterCell:
    """An IPython post_run_cell callback that holds its widget weakly and leaves once the widget is gone."""

    def __init__(self, widget: Panel, events: Any) -> None:
        self._ref = weakref.ref(widget)
        self._events = events
        events.register("post_run_cell", self)

    @classmethod
    def register(cls, widget: Panel) -> _AfterCell | None:
        from IPython import get_ipython

        shell = get_ipython()
        return None if shell is None else cls(widget, shell.events)

    def __call__(self, *_: Any) -> None:
        widget = self._ref()
        if widget is None or widget.comm is None:
            self.unregister()
            return
        try:
            widget.session.refresh()
        except Exception as exc:  # e.g. a value that is not JSON: say so in the panel, not once per cell
            widget.session.report(exc)

    def unregister(self) -> None:
        try:
            self._events.unregister("post_run_cell", self)
        except ValueError:
            pass


class Panel(anywidget.AnyWidget):
    _css = STYLE

    project = traitlets.Instance(Project, allow_none=True).tag(sync=True, to_json=_to_json, from_json=_from_json)
    error = traitlets.Unicode("").tag(sync=True)
    problems = traitlets.List([]).tag(sync=True)  # [{field, message}]: what keeps the project from rendering
    vocabulary = traitlets.Dict({}).tag(sync=True)  # giffusion_widgets.vocabulary.for_panel(), sent once

    def __init__(self, session: Session, **kwargs: Any) -> None:
        self.session = session
        super().__init__(project=session.project, vocabulary=for_panel(), **kwargs)
        self._handlers = {"ping": self._pong, **self.messages()}
        self.on_msg(self._on_message)
        self._after_cell = _AfterCell.register(self)

    def new_session(self, project: Project | None, **options: Any) -> Session:
        """A session whose state and messages come to this widget (made before the widget's own __init__ runs, so
        its first state is in the widget's first message to the browser)."""
        return Session(project, on_state=self._show, on_message=self._send_message, **options)

    def messages(self) -> dict[str, Handler]:
        """The messages this widget takes from the browser: type -> handler(content, buffers)."""
        return {}

    # ------------------------------------------------------------------ python -> panel
    def sync(self) -> bool:
        """Send the project to the panel if code changed it since; True when something was sent."""
        return self.session.refresh()

    def notice(self, message: str, level: str = "info") -> None:
        """A transient message in the panel (level "info" or "error")."""
        self.session.notice(message, level)

    def _show(self, name: str, value: Any) -> None:
        if name == "project":
            if self.project is value:
                self.send_state("project")
            else:
                self.project = value
        elif self.has_trait(name):
            setattr(self, name, value)

    def _pong(self, content: dict, _buffers: list) -> None:
        """The view's "is the kernel still there?" (js/src/connection.js): answered at once, from this thread."""
        self.send({"type": "pong", "id": content.get("id")})

    def _send_message(self, content: dict, buffers: list) -> None:
        self.send(content, buffers=buffers or None)

    # ------------------------------------------------------------------ panel -> python
    @traitlets.validate("project")
    def _on_project_replaced(self, proposal: Any) -> Project | None:
        # Panel edits change the same object, which traitlets does not report: only a new object lands here. This
        # is a validator, not an observer, because traitlets reports no change when the new object equals the old.
        new = proposal["value"]
        session = getattr(self, "session", None)
        if session is not None and new is not None and new is not session.project:
            session.replace_project(new)
        return new

    @traitlets.observe("error")
    def _on_error_dismissed(self, change: dict) -> None:
        if not change["new"] and self.session.error:
            self.session.clear_error()

    def _on_message(self, _widget: Any, content: Any, buffers: list | None) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            self.notice(f"the panel sent a message this widget does not know: {kind!r}", level="error")
            return
        try:
            handler(content, [bytes(b) for b in (buffers or [])])
        except Exception as exc:  # whatever went wrong, the user reads it in the panel
            self.session.report(exc)

    def close(self) -> None:
        """Close the widget; a render it started is cancelled (its finished frames are kept)."""
        self.session.close()
        if self._after_cell is not None:
            self._after_cell.unregister()
            self._after_cell = None
        super().close()
