"""One pipeline call for a batch of frames: the one code path local renders and cluster workers both run.

A batch's inputs (noise walked between seeds, blended prompt tensors, initial images) are made here from its
FrameSpecs alone, so a worker given the same specs, settings and pipeline makes the same pixels as the local render.
`FrameCalls` is a render's way of making such calls (its size, scheduled values, step callback), shared by the
renderer and the workers, batch by batch or frame by frame for the 2D mode's chain.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import torch

from ..project import Project
from ..schedule import FrameSpec
from .embeddings import PromptEmbeddings
from .inputs import InitImages, walk, walked_noise
from .pipelines import pipeline_info


class Interrupted(Exception):
    """Raised from the step callback to stop a pipeline call mid-denoise (a cancel)."""


def step_callback(cancelled: Callable[[], bool], progress: Callable[[int], None]) -> Callable[..., dict]:
    """diffusers' callback_on_step_end: stop when `cancelled()`, else report the step done (1-based)."""
    def on_step(pipeline: Any, step: int, timestep: Any, tensors: dict) -> dict:
        if cancelled():
            raise Interrupted()
        progress(step + 1)
        return tensors

    return on_step


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


@dataclass
class FrameCalls:
    """How one render calls its pipelines: `values` holds each frame's scheduled guidance_scale and strength (a
    batch takes its first frame's), `on_step` the step callback, `extra(specs, image)` further call arguments (a
    ControlNet's conditioning) or None."""

    project: Project
    size: tuple[int, int]
    channels: int
    values: Mapping[str, Any]  # name -> a sequence or mapping indexed by frame number
    embeddings: PromptEmbeddings
    init_images: InitImages
    on_step: Callable[..., dict] | None = None
    extra: Callable[[list[FrameSpec], Any], dict | None] | None = None

    def __call__(self, pipe: Any, specs: list[FrameSpec], *, guidance: float | None = None, output: str = "pil",
                 image: Any = None, strength: float | None = None, seed: int | None = None) -> list[Any]:
        """One call for `specs`; the 2D mode passes its own `image` (a tensor), `strength` and sampler `seed`."""
        first = specs[0].index
        batch = Batch(specs, self.size, self.channels,
                      float(self.values["guidance_scale"][first]) if guidance is None else guidance,
                      float(self.values["strength"][first]))
        extra = self.extra(specs, image) if self.extra is not None else None
        return call_pipeline(pipe, self.project, batch, self.embeddings, self.init_images, output=output,
                             image=image, strength=strength, seed=seed, on_step=self.on_step, extra=extra)

    def chain_diffuse(self, pipe: Any, image_pipe: Any) -> Callable[..., torch.Tensor]:
        """The 2D mode's `diffuse` (see feedback.FeedbackRender): the first frame from the walked noise by `pipe`,
        every next one from its moved predecessor by `image_pipe`, the image-to-image form."""
        steps = self.project.num_inference_steps

        def diffuse(spec: FrameSpec, start: Any, strength: float, guidance: float, seed: int) -> torch.Tensor:
            if start is None:
                return self(pipe, [spec], guidance=guidance, output="pt")[0]
            if int(steps * strength) < 1:
                return start  # no denoising step at this strength: the moved frame itself
            return self(image_pipe, [spec], guidance=guidance, output="pt", image=start[None], strength=strength,
                        seed=seed)[0]

        return diffuse
