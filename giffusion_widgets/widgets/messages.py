"""Custom messages from the browser (see js/README.md): each `{type: "x", ...}` goes to the widget's `_msg_x`
method; an error a user can cause becomes words in the `error` trait, never a traceback in the kernel's log only."""

from __future__ import annotations

import logging
from typing import Any

import traitlets

from ..errors import GiffusionError

log = logging.getLogger(__name__)


class MessageRouter(traitlets.HasTraits):
    error = traitlets.Unicode("").tag(sync=True)

    def _init_messages(self) -> None:
        self._error_source: str | None = None  # "project" for errors that project checks set and may clear
        self.on_msg(self._on_message)  # type: ignore[attr-defined]

    def _on_message(self, _widget: Any, content: Any, buffers: list | None) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = getattr(self, f"_msg_{kind}", None) if isinstance(kind, str) and kind.isidentifier() else None
        if handler is None:
            self.notice(f"the panel sent a message this widget does not know: {kind!r}", level="error")
            return
        try:
            handler(content, [bytes(b) for b in (buffers or [])])
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the user reads it in the panel
            self._report(exc)

    def _report(self, exc: BaseException) -> None:
        """An exception in words in the `error` trait."""
        if isinstance(exc, GiffusionError):
            words = str(exc)
        else:
            log.warning("giffusion widget: %s", exc, exc_info=exc)
            words = f"{type(exc).__name__}: {exc}"
        self._set_error(words or type(exc).__name__)

    def _set_error(self, message: str, source: str | None = None) -> None:
        self._error_source = source if message else None
        self.error = message

    def notice(self, message: str, level: str = "info") -> None:
        """A transient message in the panel (level "info" or "error")."""
        self.send({"type": "notice", "level": level, "message": message})  # type: ignore[attr-defined]
