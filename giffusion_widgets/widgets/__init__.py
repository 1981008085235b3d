"""The panel's anywidget classes: traits and message tables over a `giffusion_widgets.session.Session`, drawn by the
front end in giffusion_widgets/static.

The protocol between them and the browser is described in js/README.md. The classes load on first access, so the
plain helpers here (uploads, frame log, panel input checks) import without anywidget.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_CLASSES = {"Scrubber": ".scrubber", "Studio": ".studio", "Timeline": ".timeline", "Waveform": ".waveform"}

__all__ = sorted(_CLASSES)


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        return getattr(import_module(_CLASSES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_CLASSES))
