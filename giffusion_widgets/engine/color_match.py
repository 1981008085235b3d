"""Colour coherence for the 2D feedback mode: match a frame's LAB histograms to a reference frame, in torch.

    reference = ColorReference(first_frame)          # its histograms, computed once for the whole chain
    frame = match_colors(warped_frame, reference)    # or match_colors(warped_frame, first_frame)

Feeding each frame back through image-to-image drifts its colours (a little more saturation, a shift in hue, every
step); Deforum's "color coherence" stops it by matching the histogram of each LAB channel to the first frame's
(skimage's match_histograms over OpenCV's 8-bit LAB). This does the same on float tensors on the frames' own device,
so a GPU chain never leaves the GPU.

Choices:
- sRGB <-> CIE LAB (D65) is written out here (the standard formulas, as skimage and kornia use them). kornia's
  rgb_to_lab agrees with it to 0.005 LAB units (measured), but kornia has no histogram matching, so it would add
  two packages (kornia, kornia-rs) for twenty lines.
- Histograms have fixed bins (1024 per channel over L 0..100, a and b -128..128: 0.1 L and 0.25 a/b per bin, finer
  than the 8-bit LAB Deforum matches in), with the CDF linear inside each bin, so the mapping is continuous and
  monotone and needs no sort: a bincount and a cumulative sum per image, the mapping solved at the 1025 bin edges,
  and a per-pixel interpolation between them, batched over frames and channels. Fixed bins also let a reference's
  CDF be computed once for a whole chain.
"""

from __future__ import annotations

import torch

__all__ = ["ColorReference", "lab_to_rgb", "match_colors", "rgb_to_lab"]

BINS = 1024
LAB_RANGES = ((0.0, 100.0), (-128.0, 128.0), (-128.0, 128.0))  # every sRGB colour's L, a, b lie inside these

_RGB_TO_XYZ = torch.tensor([[0.412453, 0.357580, 0.180423],
                            [0.212671, 0.715160, 0.072169],
                            [0.019334, 0.119193, 0.950227]], dtype=torch.float64)
_WHITE = torch.tensor([0.950456, 1.0, 1.088754], dtype=torch.float64)  # D65, the white the matrix above maps to
_DELTA = 6.0 / 29.0


def _check_rgb(image: torch.Tensor, name: str) -> None:
    if not isinstance(image, torch.Tensor) or not image.is_floating_point():
        raise ValueError(f"{name} must be a floating-point tensor of RGB images in [0, 1], got {type(image).__name__}"
                         + (f" of {image.dtype}" if isinstance(image, torch.Tensor) else ""))
    if image.dim() not in (3, 4) or image.shape[-3] != 3:
        raise ValueError(f"{name} must have shape (3, H, W) or (N, 3, H, W), got {tuple(image.shape)}")


def _matrix(matrix: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return matrix.to(device=like.device, dtype=like.dtype)


def rgb_to_lab(image: torch.Tensor) -> torch.Tensor:
    """sRGB in [0, 1], shape (..., 3, H, W) -> CIE LAB (D65): L in [0, 100], a and b about [-128, 128]."""
    rgb = image.clamp(0.0, 1.0)
    linear = torch.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = torch.einsum("ij,...jhw->...ihw", _matrix(_RGB_TO_XYZ, rgb), linear)
    xyz = xyz / _matrix(_WHITE, rgb)[:, None, None]
    f = torch.where(xyz > _DELTA**3, xyz.clamp_min(1e-12) ** (1.0 / 3.0), xyz / (3 * _DELTA**2) + 4.0 / 29.0)
    fx, fy, fz = f.unbind(-3)
    return torch.stack((116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)), dim=-3)


def lab_to_rgb(lab: torch.Tensor) -> torch.Tensor:
    """CIE LAB (D65), shape (..., 3, H, W) -> sRGB clamped to [0, 1] (colours outside the gamut are clipped)."""
    lightness, a, b = lab.unbind(-3)
    fy = (lightness + 16.0) / 116.0
    f = torch.stack((fy + a / 500.0, fy, fy - b / 200.0), dim=-3)
    xyz = torch.where(f > _DELTA, f**3, 3 * _DELTA**2 * (f - 4.0 / 29.0)) * _matrix(_WHITE, f)[:, None, None]
    linear = torch.einsum("ij,...jhw->...ihw", _matrix(torch.linalg.inv(_RGB_TO_XYZ), xyz), xyz).clamp(0.0, 1.0)
    rgb = torch.where(linear > 0.0031308, 1.055 * linear.clamp_min(1e-12) ** (1.0 / 2.4) - 0.055, 12.92 * linear)
    return rgb.clamp(0.0, 1.0)


def _bin_positions(lab: torch.Tensor) -> torch.Tensor:
    """(N, 3, H, W) LAB -> (N, 3, H*W) positions in bin units, 0..BINS."""
    lows = torch.tensor([r[0] for r in LAB_RANGES], device=lab.device, dtype=lab.dtype)
    widths = torch.tensor([r[1] - r[0] for r in LAB_RANGES], device=lab.device, dtype=lab.dtype)
    positions = (lab.flatten(2) - lows[:, None]) / widths[:, None] * BINS
    return positions.clamp(0.0, BINS * (1.0 - 1e-7))


def _cdfs(positions: torch.Tensor) -> torch.Tensor:
    """(N, 3, P) bin positions -> (N, 3, BINS + 1) cumulative share of the pixels at each bin edge."""
    n, channels, pixels = positions.shape
    rows = torch.arange(n * channels, device=positions.device)[:, None] * BINS
    index = (positions.long().reshape(n * channels, pixels) + rows).flatten()
    counts = torch.bincount(index, minlength=n * channels * BINS).reshape(n, channels, BINS)
    cdf = counts.cumsum(-1).to(positions.dtype) / pixels
    return torch.cat((torch.zeros_like(cdf[..., :1]), cdf), dim=-1)


class ColorReference:
    """The LAB histograms of a reference image, kept so a chain of frames can be matched to it cheaply."""

    def __init__(self, image: torch.Tensor) -> None:
        _check_rgb(image, "reference")
        lab = rgb_to_lab(image.detach().to(torch.float32)).reshape(-1, *image.shape[-3:])
        self.cdf = _cdfs(_bin_positions(lab))  # (1 or N, 3, BINS + 1)
        self.device = image.device

    def to(self, device: torch.device | str) -> ColorReference:
        moved = object.__new__(ColorReference)
        moved.cdf, moved.device = self.cdf.to(device), torch.device(device)
        return moved


def _gather(table: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    return torch.gather(table, -1, index)


def _inverse_cdf(cdf: torch.Tensor, quantile: torch.Tensor, right: bool) -> torch.Tensor:
    """Positions (in bin units) where the piecewise-linear `cdf` reaches `quantile`."""
    bins = (torch.searchsorted(cdf, quantile, right=right) - 1).clamp(0, BINS - 1)
    low, high = _gather(cdf, bins), _gather(cdf, bins + 1)
    return bins + ((quantile - low) / (high - low).clamp_min(1e-12)).clamp(0.0, 1.0)


def match_colors(image: torch.Tensor, reference: torch.Tensor | ColorReference) -> torch.Tensor:
    """Match each LAB channel's histogram of `image` to `reference`'s, returning RGB in [0, 1].

    `image` is (3, H, W) or (N, 3, H, W) in [0, 1] (any float dtype and device; the result keeps both). `reference`
    is an image of any size (one for all, or N, one for each) or a ColorReference made from one.
    """
    _check_rgb(image, "image")
    if not isinstance(reference, ColorReference):
        reference = ColorReference(reference)
    batch = image.reshape(-1, *image.shape[-3:])
    ref_cdf = reference.cdf.to(image.device)
    if ref_cdf.shape[0] not in (1, batch.shape[0]):
        raise ValueError(f"reference has {ref_cdf.shape[0]} images for {batch.shape[0]} images: give one or as many")

    lab = rgb_to_lab(batch.to(torch.float32))
    positions = _bin_positions(lab)
    src_cdf = _cdfs(positions)
    # The mapping at each source bin edge: the reference's inverse CDF (linear inside its bins) at the source CDF.
    # Pixels then interpolate between their bin's two edges: no per-pixel search, and at most a bin's width off.
    # A bin's lower edge takes the inverse from the right and its upper edge from the left, so empty reference bins
    # (plateaus of its CDF) never pull a pixel across them.
    ref_cdf = ref_cdf.expand(batch.shape[0], -1, -1).contiguous()
    quantile = src_cdf.clamp(1e-7, 1.0)
    lower = _inverse_cdf(ref_cdf, quantile, right=True)
    upper = _inverse_cdf(ref_cdf, quantile, right=False)
    below = positions.floor()
    index = below.long()
    start = _gather(lower, index)
    mapped = start + (positions - below) * (_gather(upper, index + 1) - start)
    lows = torch.tensor([r[0] for r in LAB_RANGES], device=lab.device)[:, None]
    widths = torch.tensor([r[1] - r[0] for r in LAB_RANGES], device=lab.device)[:, None]
    matched = lows + mapped * (widths / BINS)
    rgb = lab_to_rgb(matched.reshape(lab.shape))
    return rgb.to(image.dtype).reshape(image.shape)
