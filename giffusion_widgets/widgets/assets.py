"""Where the bundled front end lives: giffusion_widgets/static, built from js/ by `node js/build.mjs`."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
STYLE = STATIC / "style.css"


def esm(name: str) -> Path:
    """The ES module of one widget ("studio", "timeline", "waveform", "scrubber")."""
    return STATIC / f"{name}.js"
