"""What decides a frame, as a key: the pipeline, its scheduler, the settings and the frame's own spec.

Two frames with one key are the same pixels, so the frame cache and a resumed run may hand one out for the other.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..project import Project
from ..schedule import Plan
from .atomic import digest
from .pipelines import pipeline_info


def file_identity(path: str | os.PathLike) -> str:
    """Path, size and modification time: hashing a long video or song on every render would cost more than it saves."""
    stat = os.stat(path)
    return f"{os.path.abspath(path)}:{stat.st_size}:{stat.st_mtime_ns}"


def custom_pipeline_identity(custom_pipeline: str | None) -> str | None:
    """A local pipeline.py (or a folder holding one) by its content; a community pipeline by its name."""
    if not custom_pipeline:
        return None
    path = Path(custom_pipeline).expanduser()
    file = path / "pipeline.py" if path.is_dir() else path
    return f"{custom_pipeline}:{digest(file)}" if file.is_file() else custom_pipeline


def addition_key(project: Project, lora_files: list[Path]) -> dict:
    """The pipeline additions that decide pixels, only those set (so projects without them keep their keys)."""
    p = project
    loras = [[file_identity(file), float(lora.get("weight", 1.0)), lora.get("adapter")]
             for lora, file in zip(p.loras, lora_files, strict=True)]
    extras = {"loras": loras, "pipeline_kwargs": p.pipeline_kwargs, "scheduler_kwargs": p.scheduler_kwargs,
              "prompt_weighting": p.prompt_weighting, "custom_pipeline": custom_pipeline_identity(p.custom_pipeline)}
    return {name: value for name, value in extras.items() if value}


def settings_key(project: Project, pipe: Any, size: tuple[int, int], channels: int, decoder: str | None,
                 lora_files: list[Path] = (), *, identity: dict | None = None, scheduler: Any = None) -> dict:
    """Everything shared by all frames of a render that decides their pixels. The pipeline's identity and scheduler
    are `pipe`'s own unless given (engine/planned_keys.py passes the ones a render would have)."""
    p = project
    has_init = bool(p.image_input or p.video_input)
    scheduler = pipe.scheduler if scheduler is None else scheduler
    return {
        **addition_key(p, list(lora_files)),
        "pipeline": pipeline_info(pipe).identity() if identity is None else identity,
        "scheduler": [type(scheduler).__name__, dict(scheduler.config)],
        "steps": p.num_inference_steps, "size": size, "channels": channels,
        "embeds": [p.use_prompt_embeds, p.embedding_interpolation],
        # guidance and strength are scheduled: each frame's own value is part of its key (frame_keys, feedback)
        "init_noise": "walk" if has_init else None,  # image-to-image frames walk the noise as text-to-image ones do
        "image": digest(Path(p.image_input)) if p.image_input else None,
        "video": [file_identity(p.video_input), p.fps] if p.video_input else None,
        "decoder": decoder,
    }


def frame_keys(plan: Plan, settings: dict) -> dict[str, list[int]]:
    """Frame indices grouped by key, in plan order: frames that share a key (held frames, stills) render once."""
    shared = json.dumps(settings, sort_keys=True, default=str)
    has_init = bool(plan.project.image_input or plan.project.video_input
                    or any(k.image for k in plan.project.keyframes))  # image keyframes: strength decides too
    guidance, strength = plan.values["guidance_scale"], plan.values["strength"]
    groups: dict[str, list[int]] = {}
    for spec in plan.frames:
        own = json.dumps([float(guidance[spec.index]), float(strength[spec.index]) if has_init else None])
        key = hashlib.sha256((shared + spec.key + own).encode()).hexdigest()[:32]
        groups.setdefault(key, []).append(spec.index)
    return groups
