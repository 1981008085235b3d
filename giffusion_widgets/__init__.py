"""Keyframed prompt animations with Hugging Face diffusers, edited in a Jupyter widget panel.

    from giffusion_widgets import Project, render
    animation = render(Project.from_json("examples/circle-to-square.json"))

In a notebook, `Studio()` shows the whole panel. Heavy parts (torch, diffusers, librosa) load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import GiffusionError, MediaError, PipelineError, ProjectError, PromptSyntaxError
from .inspire import inspire, inspire_keyframes
from .project import Keyframe, Project
from .prompts import format_prompts, parse_prompts
from .schedule import FrameSpec, Plan, schedule

# `schedule` and `inspire` are imported eagerly (both are light): a function named like its module must be bound
# before anything imports the module, or the import would rebind the package attribute to the module.

__version__ = "0.1.0"

# name -> module that defines it; imported on first access so `import giffusion_widgets` stays light
_LAZY = {
    "render": "engine.renderer", "resume": "engine.renderer", "preview": "engine.renderer",
    "Renderer": "engine.renderer",
    "RenderEvent": "engine.events",
    "load_pipeline": "engine.pipelines", "set_scheduler": "engine.pipelines",
    "Animation": "animation",
    "slerp": "interpolate", "lerp": "interpolate",
    "audio_keyframes": "media.audio", "analyze_audio": "media.audio", "keyframes_text": "keyinfo",
    "probe_video": "media.video",
    "keyframes_from_audio": "keyinfo", "keyframes_from_video": "keyinfo",
    "log_to_comet": "tracking",
    "plot_schedule": "plots",
    "evaluate_schedule": "schedules",
    "Session": "session",
    "Studio": "widgets", "Timeline": "widgets", "Waveform": "widgets", "Scrubber": "widgets",
}

__all__ = ["FrameSpec", "GiffusionError", "Keyframe", "MediaError", "PipelineError", "Plan", "Project", "ProjectError",
           "PromptSyntaxError", "format_prompts", "inspire", "inspire_keyframes", "parse_prompts", "schedule", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'giffusion_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
