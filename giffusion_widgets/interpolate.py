"""Interpolation of noise latents and text embeddings.

Gaussian noise lives near a sphere: the straight line between two noise samples passes close to the origin, and the
midpoint has about 0.7x the norm the sampler expects, which washes images out. Spherical interpolation keeps the norm.
"""

from __future__ import annotations

import torch

PARALLEL_DOT = 0.9995  # above this the angle is too small for a stable slerp: lerp is equal to within rounding


def lerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    """Linear interpolation; exactly `a` at t=0 and exactly `b` at t=1."""
    if t == 0:
        return a.clone()
    if t == 1:
        return b.clone()
    return torch.lerp(a, b, float(t))


def _orthogonal(a: torch.Tensor) -> torch.Tensor:
    """A deterministic vector orthogonal to `a`, of the same norm (used for opposite endpoints)."""
    flat = a.reshape(-1)
    other = torch.roll(flat, 1) + 1.0
    other = other - (other @ flat) / (flat @ flat) * flat
    return (other / other.norm() * flat.norm()).reshape(a.shape)


def slerp(a: torch.Tensor, b: torch.Tensor, t: float, dot_threshold: float = PARALLEL_DOT) -> torch.Tensor:
    """Spherical interpolation of two tensors, treated as single vectors.

    Exactly `a` at t=0 and `b` at t=1. Nearly parallel endpoints fall back to lerp. Nearly opposite endpoints have no
    unique great circle, so the path goes through a fixed orthogonal direction (norm preserved, deterministic).
    """
    if t == 0:
        return a.clone()
    if t == 1:
        return b.clone()
    a64, b64 = a.double(), b.double()
    na, nb = a64.norm(), b64.norm()
    if na == 0 or nb == 0:
        return lerp(a, b, t)
    dot = float((a64.reshape(-1) @ b64.reshape(-1)) / (na * nb))
    if dot > dot_threshold:
        return lerp(a, b, t)
    if dot < -dot_threshold:
        mid = _orthogonal(a64)
        half = slerp(a64, mid, 2 * t) if t < 0.5 else slerp(mid, b64, 2 * t - 1)
        return half.to(a.dtype)
    theta = torch.arccos(torch.tensor(dot, dtype=torch.float64))
    sin = torch.sin(theta)
    out = torch.sin((1 - t) * theta) / sin * a64 + torch.sin(t * theta) / sin * b64
    return out.to(a.dtype)


def interpolate(a: torch.Tensor, b: torch.Tensor, t: float, mode: str = "slerp") -> torch.Tensor:
    if mode == "slerp":
        return slerp(a, b, t)
    if mode == "lerp":
        return lerp(a, b, t)
    raise ValueError(f"unknown interpolation {mode!r}: use 'slerp' or 'lerp'")
