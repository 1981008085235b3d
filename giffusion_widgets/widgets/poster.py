"""The poster of a run: its last frame as a small PNG, for the studio's `poster` trait.

Frames reach the panel as messages, which a notebook's saved widget state does not keep; the poster is state, so a
notebook reopened with no kernel behind the panel still shows what the run made (js/src/offline.js).
"""

from __future__ import annotations

import io
from pathlib import Path

from .frame_log import FrameLog

POSTER_PX = 256  # the longest side: a few KB to a few tens of KB in the notebook


def poster_of(frames: FrameLog) -> dict:
    """{run_id, frame, png} of the run's last frame on disk, at most POSTER_PX on a side; {} without one."""
    done = frames.since(0)
    if not done:
        return {}
    index, path = done[-1]
    try:
        png = _small_png(path)
    except OSError:  # removed or unreadable since: no poster rather than an error
        return {}
    return {"run_id": frames.run_id, "frame": index, "png": png}


def _small_png(path: Path) -> bytes:
    from PIL import Image

    with Image.open(path) as image:
        if max(image.size) <= POSTER_PX and image.format == "PNG":
            return path.read_bytes()
        small = image.convert("RGB")
        small.thumbnail((POSTER_PX, POSTER_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # 256 colours, as the GIF beside it has: a third of the size of a full-colour PNG
    small.quantize(256, dither=Image.Dither.FLOYDSTEINBERG).save(out, "PNG", optimize=True)
    return out.getvalue()
