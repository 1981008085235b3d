"""What a pipeline call starts from besides the prompts: the frame size, the starting noise, the initial images."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch

from ..interpolate import slerp
from ..project import Project
from ..schedule import FrameSpec


class NoiseCache:
    """Unit Gaussian noise per seed, drawn on the CPU so every device starts from the same numbers."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
        self._memo: dict[int, Any] = {}

    def __call__(self, seed: int) -> Any:
        if seed not in self._memo:
            self._memo[seed] = torch.randn(self.shape, generator=torch.Generator("cpu").manual_seed(seed))
        return self._memo[seed]


def walk(specs: list[FrameSpec], shape: tuple[int, ...]) -> Any:
    """Each frame's starting noise, stacked: its two keyframes' noises blended (slerp) at its weight."""
    noise = NoiseCache((1, *shape))
    return torch.cat([slerp(noise(s.latent_seeds[0]), noise(s.latent_seeds[1]), s.latent_t) for s in specs])


@contextlib.contextmanager
def walked_noise(scheduler: Any, specs: list[FrameSpec]) -> Iterator[None]:
    """For one image-to-image call: the noise the pipeline adds to the initial image's latents becomes each frame's
    walk, as text-to-image frames start from (a pipeline that takes no `latents` draws it from the generators,
    which would cut from one keyframe's noise to the next mid-segment).

    Only the render's own scheduler (see resolve.lent) is touched, and only for the length of the call.
    """
    own = scheduler.add_noise

    def add_noise(original: Any, noise: Any, timesteps: Any) -> Any:
        if noise.shape[0] != len(specs):  # not the call's batch of initial latents: leave it alone
            return own(original, noise, timesteps)
        return own(original, walk(specs, tuple(noise.shape[1:])).to(noise.device, noise.dtype), timesteps)

    scheduler.add_noise = add_noise
    try:
        yield
    finally:
        del scheduler.add_noise


def denoiser(pipe: Any) -> Any:
    """The pipeline's UNet or transformer (None for neither)."""
    return getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)


def full_size(project: Project, pipe: Any) -> tuple[int, int]:
    """(height, width): the project's, else the initial image's or video's, else the pipeline's default."""
    h, w = project.height, project.width
    if not (h and w):
        dh, dw = default_size(project, pipe)
        h, w = h or dh, w or dw
    return h, w


def default_size(project: Project, pipe: Any) -> tuple[int, int]:
    from ..media.image import fit_size

    if project.image_input:
        from ..media.image import load_image

        w, h = fit_size(*load_image(project.image_input).size)
    elif project.video_input:
        from ..media.video import probe_video

        info = probe_video(project.video_input)
        w, h = fit_size(info.width, info.height)
    else:
        latent = getattr(getattr(denoiser(pipe), "config", None), "sample_size", 64)
        h = w = int(latent * getattr(pipe, "vae_scale_factor", 8))
    return h, w


class InitImages:
    """The initial image of each frame: the project's image, or its video's frame at the frame's time."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._image: Any = None
        self._video: Any = None

    @property
    def wanted(self) -> bool:
        return bool(self.project.image_input or self.project.video_input)

    def for_frames(self, specs: list[FrameSpec], size: tuple[int, int]) -> list[Any] | None:
        """One PIL image per spec, at `size` (height, width); None without image or video input."""
        p = self.project
        h, w = size
        if p.image_input:
            if self._image is None:
                from ..media.image import load_image

                self._image = load_image(p.image_input)
            image = self._image if self._image.size == (w, h) else self._image.resize((w, h))
            return [image] * len(specs)
        if p.video_input:
            if self._video is None:
                from ..media.video import VideoReader

                self._video = VideoReader(p.video_input)
            out = []
            for spec in specs:
                frame = self._video.frame_at_time(spec.video_frame / p.fps)
                out.append(frame if frame.size == (w, h) else frame.resize((w, h)))
            return out
        return None
