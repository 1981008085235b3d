"""What a render reports while it runs. The widgets and the command line listen; the engine never imports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..animation import Animation

EventKind = Literal["started", "progress", "frame", "finished", "cancelled", "failed"]


@dataclass
class RenderEvent:
    kind: EventKind
    run_id: str = ""
    run_dir: Path | None = None
    total: int = 0  # frames in the animation
    done: int = 0  # frames finished so far (rendered or reused)
    index: int | None = None  # with "frame": the frame number
    path: Path | None = None  # with "frame": its PNG file
    reused: bool = False  # with "frame": taken from the cache or an earlier run
    step: int = 0  # with "progress": denoising step within the current batch
    steps: int = 0
    eta: float | None = None  # seconds left, estimated from the frames rendered so far
    animation: Animation | None = None  # with "finished" / "cancelled"
    error: BaseException | None = None  # with "failed"
    message: str = ""


EventHandler = Callable[[RenderEvent], None]
