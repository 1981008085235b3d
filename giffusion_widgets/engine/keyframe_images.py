"""Image keyframes: a keyframe with a picture (`Keyframe(frame, prompt, image=path)`, `| image: cat.png` in prompt
text) makes the frames beside it start from that picture.

- Between two image keyframes, each frame starts from the spherical blend (slerp) of the two pictures' VAE
  encodings at the frame's weight, and is rendered image-to-image at the project's (scheduled) strength.
- Between an image keyframe and a plain one, the frame starts from the one picture, and its strength ramps from
  the project's at the image keyframe towards 1 (the prompt alone); the plain keyframe's own frame is text-to-image.
- Between two plain keyframes nothing changes: those frames render text-to-image as in a project without images.

The noise the image-to-image frames add is the same walk between the keyframes' seeds as text-to-image frames
start from (inputs.walked_noise). Not combined with ControlNets, image or video input, or the 2D mode (refused by
Project.problems()).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..interpolate import slerp
from ..project import Project
from ..schedule import FrameSpec, Plan
from .atomic import digest


class KeyframeImages:
    """The starting latents of a render's frames next to image keyframes (None for the others).

    It stands in for InitImages: `for_frames(specs, size)` gives the batch's starting latents (the image-to-image
    pipeline takes latents as its image). `of(project, plan, pipe)` also turns the plan's strength values into each
    frame's ramped strength; a cluster worker makes one from the project alone, since which frames start from
    pictures follows from each frame's keyframes, and the client sends each batch's strength."""

    def __init__(self, project: Project, pipe: Any) -> None:
        self.project = project
        self.images = {k.frame: k.image for k in project.keyframes if k.image}
        first = min(project.keyframes, key=lambda k: k.frame)
        if project.loop and first.image:  # a loop's closing keyframe is the first one again
            self.images[project.num_frames] = first.image
        self.vae = pipe.vae  # taken now: a draft lends its pipelines a decoder-only VAE for the render
        self.processor = pipe.image_processor
        self.frames: list[FrameSpec] = []
        self._latents: dict[tuple, Any] = {}

    @classmethod
    def of(cls, project: Project, plan: Plan, pipe: Any) -> KeyframeImages | None:
        """The render's image keyframes, or None when no keyframe has a picture; ramps `plan`'s strengths."""
        if not any(k.image for k in project.keyframes):
            return None
        images = cls(project, pipe)
        images.frames = list(plan.frames)
        strength = np.array(plan.values["strength"], dtype=np.float64)
        for spec in plan.frames:
            side = images.image_weight(spec)
            if side is not None:
                s = strength[spec.index]
                strength[spec.index] = s + (1 - s) * (1 - side)
        plan.values = {**plan.values, "strength": strength}
        return images

    def ends(self, spec: FrameSpec) -> tuple[str | None, str | None]:
        return self.images.get(spec.start_frame), self.images.get(spec.end_frame)

    def image_weight(self, spec: FrameSpec) -> float | None:
        """How much of the frame comes from pictures: 1 between two, falling to 0 towards a plain keyframe; None
        between plain ones."""
        a, b = self.ends(spec)
        if spec.start_frame == spec.end_frame:  # a held frame before the first keyframe: that keyframe alone
            return 1.0 if a else None
        if a and b:
            return 1.0
        weight = 1.0 - spec.t if a else spec.t if b else 0.0
        return weight or None  # at the plain keyframe itself: the text-to-image frame, as without pictures

    def covers(self, spec: FrameSpec) -> bool:
        """Whether the frame starts from pictures (image-to-image); frames of one call are all one or the other."""
        return self.image_weight(spec) is not None

    def key(self) -> dict:
        """The pictures by content and each frame's weight between its keyframes (the blend and ramp follow it)."""
        return {"keyframe_images": {
            "images": {str(frame): digest(Path(path).expanduser()) for frame, path in sorted(self.images.items())},
            "t": [round(float(s.t), 9) for s in self.frames]}}

    def _encoded(self, path: str, size: tuple[int, int]) -> Any:
        """A picture's latents at `size` (the VAE's mean, scaled as the UNet takes them), once per render."""
        key = (path, size)
        if key not in self._latents:
            from ..media.image import load_image

            h, w = size
            image = load_image(Path(path).expanduser())
            pixels = self.processor.preprocess(image, height=h, width=w)
            vae = self.vae
            with torch.inference_mode():
                latents = vae.encode(pixels.to(vae.device, vae.dtype)).latent_dist.mean
            shift = getattr(vae.config, "shift_factor", None) or 0.0
            self._latents[key] = (latents - shift) * vae.config.scaling_factor
        return self._latents[key]

    def for_frames(self, specs: list[FrameSpec], size: tuple[int, int]) -> Any:
        """The batch's starting latents, stacked (None for text-to-image frames: a batch is one or the other)."""
        if not self.covers(specs[0]):
            return None
        out = []
        for spec in specs:
            a, b = self.ends(spec)
            if a and b and spec.start_frame != spec.end_frame:
                out.append(slerp(self._encoded(a, size), self._encoded(b, size), spec.t))
            else:
                out.append(self._encoded(a or b, size))
        return torch.cat(out)
