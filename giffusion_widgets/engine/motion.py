"""The per-frame operations of the 2D feedback mode, in torch: warp, colour match, contrast, noise, cadence blend.

    step = MotionStep(zoom=1.02, angle=0.5, translation_x=2, noise=0.02, contrast=1.0, color_match=True)
    init = step.apply(previous_frame, reference=ColorReference(first_frame))   # the next image-to-image input
    cache_key = hash(previous_key, frame_key, step.key())                        # a chain of keys

Images are float tensors (3, H, W) or (N, 3, H, W) with values in [0, 1], on any device and of any float dtype; each
operation returns the same shape, device and dtype, so a chain on a GPU stays there with no PNG round trip.

Deforum's 2D conventions (its anim_frame_warp_2d, with OpenCV's matrices): the previous frame is moved by
(translation_x, translation_y) pixels (x to the right, y down), then rotated by `angle` degrees counter-clockwise as
seen on screen and scaled by `zoom` (> 1 zooms in), both about the image centre. The centre here is the exact
centre, ((W - 1) / 2, (H - 1) / 2) in pixel coordinates; Deforum's (W // 2, H // 2) is half a pixel off it. Sampling
is bilinear (OpenCV's default, which Deforum uses). Borders: "replicate" repeats the edge pixels, "reflect" mirrors
the image at its edges (fedcba|abcdef), "wrap" tiles it.

Choices: torch's affine_grid + grid_sample (kornia's warp_affine wraps the same two calls, ran at the same speed in
bench_motion.py, and has no wrap mode: it would add a dependency and no ability). "wrap" maps the sampling
coordinates modulo the size into a copy padded circularly by one pixel, so the bilinear taps across the seam blend
the two opposite edges. Grids are always made in float32 and 16-bit images are sampled in float32: a float16 grid
puts pixels up to 0.2 px off at 512 px (measured).

Cost (bench_motion.py, one CPU thread, float32, one frame): warp 0.7 / 3.3 / 12 ms and warp + colour match 3.9 / 22
/ 62 ms at 128 / 256 / 512 px; the embedded pipeline takes about 85 ms a frame at 128 px.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

import torch
import torch.nn.functional as F

from ..errors import ProjectError
from ..vocabulary import BORDER_MODES
from .color_match import ColorReference, match_colors

__all__ = ["BORDER_MODES", "MOTION_VALUES", "MotionStep", "add_noise", "adjust_contrast", "cadence_blend",
           "match_colors", "warp"]

Border = Literal["replicate", "reflect", "wrap"]
MOTION_VALUES = ("zoom", "angle", "translation_x", "translation_y", "noise", "contrast")  # scheduled per frame
KEY_VERSION = 1  # bump when an operation's result changes, so cached chains are not reused across versions

Values = float | Sequence[float] | torch.Tensor


def _check_images(images: torch.Tensor, name: str = "images") -> torch.Tensor:
    """(C, H, W) or (N, C, H, W) float -> (N, C, H, W); a clear error for anything else."""
    if not isinstance(images, torch.Tensor) or not images.is_floating_point():
        kind = f"a tensor of {images.dtype}" if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"{name} must be a floating-point tensor (3, H, W) or (N, 3, H, W), got {kind}")
    if images.dim() not in (3, 4) or images.shape[-1] < 1 or images.shape[-2] < 1:
        raise ValueError(f"{name} must have shape (C, H, W) or (N, C, H, W), got {tuple(images.shape)}")
    return images if images.dim() == 4 else images[None]


def _per_image(values: Values, count: int, name: str) -> torch.Tensor:
    """A number or one per image -> float64 tensor (count,) on the CPU, checked finite."""
    tensor = torch.as_tensor(values.detach().cpu() if isinstance(values, torch.Tensor) else values,
                             dtype=torch.float64).flatten()
    if tensor.numel() == 1:
        tensor = tensor.expand(count)
    if tensor.numel() != count:
        raise ValueError(f"{name}: give one value or one per image ({count}), got {tensor.numel()}")
    if not torch.isfinite(tensor).all():
        raise ProjectError(f"{name} must be a finite number, got {tensor.tolist()}")
    return tensor


def _check_border(border: str) -> None:
    if border not in BORDER_MODES:
        raise ProjectError(f"border must be one of {', '.join(map(repr, BORDER_MODES))}, got {border!r}")


def _sampling_grid(size: tuple[int, int], zoom: torch.Tensor, angle: torch.Tensor, translation_x: torch.Tensor,
                   translation_y: torch.Tensor, device: torch.device) -> torch.Tensor:
    """For each output pixel, where to sample the input, in grid_sample's normalised coordinates (N, H, W, 2).

    Forward map (pixels, about the centre c): out - c = zoom * R(angle) (in + t - c). The grid holds its inverse,
    in - c = R(-angle) (out - c) / zoom - t, in the normalised frame (pixels / (size / 2), align_corners=False).
    """
    height, width = size
    radians = angle * (math.pi / 180.0)
    cos, sin = torch.cos(radians) / zoom, torch.sin(radians) / zoom
    # R(-angle) on screen, y down: [[cos, -sin], [sin, cos]]; rescaled for a non-square frame
    theta = torch.stack((
        torch.stack((cos, -sin * height / width, -translation_x * 2.0 / width), dim=-1),
        torch.stack((sin * width / height, cos, -translation_y * 2.0 / height), dim=-1),
    ), dim=-2)
    shape = (zoom.numel(), 1, height, width)
    return F.affine_grid(theta.to(device=device, dtype=torch.float32), list(shape), align_corners=False)


def _wrap_grid(grid: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Normalised coordinates -> the same points taken modulo the size, in a frame padded by one pixel all round."""
    height, width = size
    scale = torch.tensor([width, height], device=grid.device, dtype=grid.dtype)
    pixels = ((grid + 1.0) * scale - 1.0) / 2.0  # pixel centres at 0 .. size - 1
    wrapped = torch.remainder(pixels, scale) + 1.0  # 1 .. size + 1 in the padded frame
    return (2.0 * wrapped + 1.0) / (scale + 2.0) - 1.0


def warp(images: torch.Tensor, zoom: Values = 1.0, angle: Values = 0.0, translation_x: Values = 0.0,
         translation_y: Values = 0.0, border: Border = "replicate") -> torch.Tensor:
    """Zoom, rotate and move images as Deforum's 2D mode does (see the module notes for the conventions).

    `images` is (C, H, W) or (N, C, H, W); each motion value is a number or one per image. Identity values
    return an exact copy.
    """
    _check_border(border)
    batch = _check_images(images)
    count, size = batch.shape[0], (batch.shape[-2], batch.shape[-1])
    zoom_ = _per_image(zoom, count, "zoom")
    if (zoom_ <= 0).any():
        raise ProjectError(f"zoom must be above 0 (1 keeps the size, 2 zooms in twice), got {zoom_.tolist()}")
    angle_ = _per_image(angle, count, "angle")
    tx, ty = _per_image(translation_x, count, "translation_x"), _per_image(translation_y, count, "translation_y")
    if bool(((zoom_ == 1) & (angle_ == 0) & (tx == 0) & (ty == 0)).all()):
        return images.clone()  # the sampler would move pixels by rounding error (about 3e-5 px at 512 px)

    grid = _sampling_grid(size, zoom_, angle_, tx, ty, batch.device)
    source = batch if batch.dtype in (torch.float32, torch.float64) else batch.float()
    if border == "wrap":
        source, grid, padding = F.pad(source, (1, 1, 1, 1), mode="circular"), _wrap_grid(grid, size), "border"
    else:
        padding = "border" if border == "replicate" else "reflection"
    warped = F.grid_sample(source, grid.to(source.dtype), mode="bilinear", padding_mode=padding,
                           align_corners=False)
    return warped.to(images.dtype).reshape(images.shape)


def adjust_contrast(image: torch.Tensor, factor: Values) -> torch.Tensor:
    """Deforum's contrast schedule: every value multiplied by `factor` (a gain about black, so 1.05 also brightens),
    clamped to [0, 1]. `factor` is a number >= 0 or one per image; 1 returns an exact copy."""
    batch = _check_images(image, "image")
    factors = _per_image(factor, batch.shape[0], "contrast")
    if (factors < 0).any():
        raise ProjectError(f"contrast must be 0 or more (1 keeps the image), got {factors.tolist()}")
    if bool((factors == 1).all()):
        return image.clone()
    gain = factors.to(device=batch.device, dtype=torch.float32)[:, None, None, None]
    return (batch.float() * gain).clamp(0.0, 1.0).to(image.dtype).reshape(image.shape)


def _noise(shape: tuple[int, ...], generator: torch.Generator | int) -> torch.Tensor:
    if isinstance(generator, torch.Generator):
        return torch.randn(shape, generator=generator, device=generator.device, dtype=torch.float32)
    if isinstance(generator, bool) or not isinstance(generator, int):
        raise ValueError(f"generator must be a torch.Generator or an int seed, got {type(generator).__name__}")
    # a seed draws on the CPU, so the same seed gives the same noise on every device
    return torch.randn(shape, generator=torch.Generator("cpu").manual_seed(generator), dtype=torch.float32)


def add_noise(image: torch.Tensor, amount: Values, generator: torch.Generator | int) -> torch.Tensor:
    """Deforum's frame noising: image * (1 - amount) + amount * white noise (a normal of mean 0.5 and deviation
    0.5, clipped to [0, 1], per pixel and channel). `amount` is in [0, 1], a number or one per image; 0 returns an
    exact copy. `generator` is a torch.Generator (on any device) or an int seed (drawn on the CPU)."""
    batch = _check_images(image, "image")
    amounts = _per_image(amount, batch.shape[0], "noise")
    if ((amounts < 0) | (amounts > 1)).any():
        raise ProjectError(f"noise must be between 0 and 1, got {amounts.tolist()}")
    if bool((amounts == 0).all()):
        return image.clone()
    noise = (_noise(tuple(batch.shape), generator).to(batch.device) * 0.5 + 0.5).clamp(0.0, 1.0)
    weight = amounts.to(device=batch.device, dtype=torch.float32)[:, None, None, None]
    return (batch.float() * (1.0 - weight) + noise * weight).to(image.dtype).reshape(image.shape)


def cadence_blend(prev: torch.Tensor, next: torch.Tensor, t: Values) -> torch.Tensor:
    """A cadence frame between two rendered frames, both already warped to it: prev * (1 - t) + next * t, as
    Deforum blends them (t = k / cadence for the k-th frame after `prev`). t = 0 gives `prev` and t = 1 gives `next`,
    bit for bit."""
    batch_prev, batch_next = _check_images(prev, "prev"), _check_images(next, "next")
    if prev.shape != next.shape or prev.dtype != next.dtype or prev.device != next.device:
        raise ValueError(f"prev and next must match: {tuple(prev.shape)} {prev.dtype} on {prev.device} vs "
                         f"{tuple(next.shape)} {next.dtype} on {next.device}")
    weights = _per_image(t, batch_prev.shape[0], "t")
    if ((weights < 0) | (weights > 1)).any():
        raise ValueError(f"t must be between 0 and 1, got {weights.tolist()}")
    weight = weights.to(device=prev.device, dtype=torch.float32)[:, None, None, None]
    blended = batch_prev.float() * (1.0 - weight) + batch_next.float() * weight
    return blended.to(prev.dtype).reshape(prev.shape)


def _number(value: float) -> float:
    return float(value) + 0.0  # -0.0 -> 0.0, ints -> floats: equal values, equal keys


@dataclass(frozen=True)
class MotionStep:
    """One frame's motion in the 2D feedback mode: what is done to the previous frame before image-to-image.

    The order is Deforum's: warp, colour match (to the reference, when `color_match`), contrast, noise.
    `noise_seed` seeds the noise (Deforum uses the frame's seed). Values are checked when the step is made.
    """

    zoom: float = 1.0
    angle: float = 0.0
    translation_x: float = 0.0
    translation_y: float = 0.0
    noise: float = 0.0
    contrast: float = 1.0
    border: Border = "replicate"
    color_match: bool = False
    noise_seed: int = 0

    def __post_init__(self) -> None:
        for name in MOTION_VALUES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ProjectError(f"{name} must be a finite number, got {value!r}")
        if self.zoom <= 0:
            raise ProjectError(f"zoom must be above 0 (1 keeps the size, 2 zooms in twice), got {self.zoom!r}")
        if not 0 <= self.noise <= 1:
            raise ProjectError(f"noise must be between 0 and 1, got {self.noise!r}")
        if self.contrast < 0:
            raise ProjectError(f"contrast must be 0 or more (1 keeps the image), got {self.contrast!r}")
        _check_border(self.border)
        if not isinstance(self.color_match, bool):
            raise ProjectError(f"color_match must be True or False, got {self.color_match!r}")
        if isinstance(self.noise_seed, bool) or not isinstance(self.noise_seed, int):
            raise ProjectError(f"noise_seed must be an int, got {self.noise_seed!r}")

    @classmethod
    def from_values(cls, values: Mapping[str, float], *, border: Border = "replicate", color_match: bool = False,
                    noise_seed: int = 0) -> MotionStep:
        """A step from one frame's scheduled values ({"zoom": 1.02, "strength": 0.6, ...}); names that are not
        motion values (strength, guidance_scale, ...) are left to the pipeline call."""
        picked = {name: float(values[name]) for name in MOTION_VALUES if name in values}
        return cls(**picked, border=border, color_match=color_match, noise_seed=noise_seed)

    @property
    def moves(self) -> bool:
        """Whether the warp changes the image (False: zoom 1, angle 0, no translation)."""
        return (self.zoom, self.angle, self.translation_x, self.translation_y) != (1, 0, 0, 0)

    def key(self) -> str:
        """A stable hex digest of everything that decides `apply`'s result, for the frame's chained cache key.

        Equal values give equal keys (1 and 1.0, 0.0 and -0.0); settings that cannot change the result are left out
        (the border of a step that does not move, the seed of a step without noise)."""
        fields = {name: _number(value) if name in MOTION_VALUES else value for name, value in asdict(self).items()}
        if not self.moves:
            fields["border"] = None
        if self.noise == 0:
            fields["noise_seed"] = None
        text = json.dumps({"motion": KEY_VERSION, **fields}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def apply(self, image: torch.Tensor, reference: torch.Tensor | ColorReference | None = None) -> torch.Tensor:
        """The previous frame -> the next frame's image-to-image input (same shape, device and dtype)."""
        if self.color_match and reference is None:
            raise ValueError("this step matches colours: give the reference frame (the chain's first frame)")
        out = warp(image, self.zoom, self.angle, self.translation_x, self.translation_y, border=self.border)
        if self.color_match:
            out = match_colors(out, reference)
        out = adjust_contrast(out, self.contrast)
        return add_noise(out, self.noise, self.noise_seed)
