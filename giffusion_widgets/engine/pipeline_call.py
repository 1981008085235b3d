"""One pipeline call for a batch of frames: the one code path local renders and cluster workers both run.

A batch's inputs (noise walked between seeds, blended prompt tensors, initial images) are made here from its
FrameSpecs alone, so a worker given the same specs, settings and pipeline makes the same pixels as the local render.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from ..project import Project
from ..schedule import FrameSpec
from .embeddings import PromptEmbeddings
from .inputs import InitImages, walk, walked_noise
from .pipelines import pipeline_info


@dataclass
class Batch:
    """What one call renders: its frames and the values they share (a call takes one guidance and strength)."""

    specs: list[FrameSpec]
    size: tuple[int, int]  # (height, width)
    channels: int  # of the starting noise
    guidance: float
    strength: float


def batch_at(pipe: Any, project: Project, batch: Batch, embeddings: PromptEmbeddings, init_images: InitImages, *,
             output: str = "pil", image: Any = None, strength: float | None = None,
             seed: int | None = None) -> tuple[dict[str, Any], Any]:
    """(the call's keyword arguments, a context the call runs in): the batch's noise or initial images, prompt
    tensors and seeds. The 2D mode passes its own `image` (a tensor), `strength` and sampler `seed`."""
    p, specs = project, batch.specs
    accepts = pipeline_info(pipe).accepts
    h, w = batch.size
    scale = getattr(pipe, "vae_scale_factor", 8)
    cfg = batch.guidance > 1
    kwargs: dict[str, Any] = {"num_inference_steps": p.num_inference_steps, "guidance_scale": batch.guidance,
                              "height": h, "width": w, "output_type": output, "num_images_per_prompt": 1}
    seeds = [s.sampler_seed for s in specs] if seed is None else [seed]
    kwargs["generator"] = [torch.Generator("cpu").manual_seed(s) for s in seeds]
    images = init_images.for_frames(specs, batch.size) if image is None else image
    noise_walk: Any = contextlib.nullcontext()
    if images is not None:
        kwargs.update(image=images, strength=batch.strength if strength is None else strength)
        if "latents" not in accepts and image is None:  # its own noise on the image's latents: the walk
            noise_walk = walked_noise(pipe.scheduler, specs)
    if "latents" in accepts and images is None:
        kwargs["latents"] = walk(specs, (batch.channels, h // scale, w // scale)).to(pipe.device, dtype=pipe.dtype)
    if p.use_prompt_embeds and "prompt_embeds" in accepts and hasattr(pipe, "encode_prompt"):
        kwargs.update(embeddings.for_frames(pipe, specs, p.embedding_interpolation, cfg, p.prompt_weighting))
    else:
        # Prompts as text. With prompt embeds off, the plan has already forward-filled both prompts of a spec;
        # for a pipeline that cannot take embeddings, the nearer keyframe's prompt stands in for the blend.
        near = [0 if s.embed_t < 0.5 else 1 for s in specs]
        kwargs["prompt"] = [s.prompts[n] for s, n in zip(specs, near, strict=True)]
        kwargs["negative_prompt"] = [s.negatives[n] for s, n in zip(specs, near, strict=True)]
    return kwargs, noise_walk


def call_pipeline(pipe: Any, project: Project, batch: Batch, embeddings: PromptEmbeddings, init_images: InitImages,
                  *, output: str = "pil", image: Any = None, strength: float | None = None, seed: int | None = None,
                  on_step: Callable[..., dict] | None = None, extra: dict[str, Any] | None = None) -> list[Any]:
    """Call `pipe` once for `batch`; return its images. `on_step` is diffusers' callback_on_step_end (a cancel
    check); `extra` holds further call arguments (a ControlNet's image, ...), set over the batch's own."""
    accepts = pipeline_info(pipe).accepts
    kwargs, noise_walk = batch_at(pipe, project, batch, embeddings, init_images, output=output, image=image,
                                  strength=strength, seed=seed)
    if on_step is not None and "callback_on_step_end" in accepts:
        kwargs["callback_on_step_end"] = on_step
    call = {k: v for k, v in kwargs.items() if k in accepts}
    call.update(extra or {})
    call.update(project.pipeline_kwargs)  # checked against the call's signature before the first frame
    with torch.inference_mode(), noise_walk:
        result = pipe(**call)
    return list(result.images)
