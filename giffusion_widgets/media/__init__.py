"""Media inputs and outputs: audio analysis, video reading and writing, initial images.

The audio names load librosa (and its compiled code) on first access, so importing this package stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .image import fit_size, load_image, to_rgb
from .video import (
    VideoInfo,
    VideoReader,
    animation_frame_count,
    exact_rate,
    is_gif,
    probe_video,
    read_animation_frame,
    source_frame,
    write_gif,
    write_mp4,
)

_AUDIO = {"AudioAnalysis", "AudioKeyframe", "analyze_audio", "audio_keyframes", "last_audio_frame", "onset_frame",
          "COMPONENTS"}

__all__ = [
    "COMPONENTS", "AudioAnalysis", "AudioKeyframe", "analyze_audio", "audio_keyframes", "last_audio_frame",
    "onset_frame",
    "VideoInfo", "VideoReader", "animation_frame_count", "exact_rate", "is_gif", "probe_video", "read_animation_frame",
    "source_frame", "write_gif", "write_mp4",
    "fit_size", "load_image", "to_rgb",
]


def __getattr__(name: str) -> Any:
    if name in _AUDIO:
        return getattr(import_module(".audio", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _AUDIO)
