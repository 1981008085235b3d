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


def settings_key(project: Project, pipe: Any, size: tuple[int, int], channels: int, decoder: str | None) -> dict:
    """Everything shared by all frames of a render that decides their pixels."""
    p = project
    has_init = bool(p.image_input or p.video_input)
    return {
        "pipeline": pipeline_info(pipe).identity(),
        "scheduler": [type(pipe.scheduler).__name__, dict(pipe.scheduler.config)],
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
    has_init = bool(plan.project.image_input or plan.project.video_input)
    guidance, strength = plan.values["guidance_scale"], plan.values["strength"]
    groups: dict[str, list[int]] = {}
    for spec in plan.frames:
        own = json.dumps([float(guidance[spec.index]), float(strength[spec.index]) if has_init else None])
        key = hashlib.sha256((shared + spec.key + own).encode()).hexdigest()[:32]
        groups.setdefault(key, []).append(spec.index)
    return groups
