"""slerp / lerp: exact endpoints, the parallel and opposite edge cases, and norm preservation."""

from __future__ import annotations

import pytest
import torch

from giffusion_widgets.interpolate import interpolate, lerp, slerp


@pytest.fixture
def ab():
    g = torch.Generator().manual_seed(0)
    return torch.randn(1, 4, 8, 8, generator=g), torch.randn(1, 4, 8, 8, generator=g)


@pytest.mark.parametrize("fn", [slerp, lerp])
def test_endpoints_are_exact(fn, ab):
    a, b = ab
    assert torch.equal(fn(a, b, 0.0), a)
    assert torch.equal(fn(a, b, 1.0), b)
    assert fn(a, b, 0.0) is not a  # a copy: later in-place work cannot corrupt the keyframe's noise


def test_slerp_keeps_the_norm_of_gaussian_noise_where_lerp_shrinks_it(ab):
    a, b = ab
    mid_s, mid_l = slerp(a, b, 0.5), lerp(a, b, 0.5)
    mean_norm = float(a.norm() + b.norm()) / 2
    assert float(mid_s.norm()) == pytest.approx(mean_norm, rel=0.02)
    assert float(mid_l.norm()) < 0.8 * mean_norm  # independent noise is ~orthogonal: the chord dips to ~0.71x


def test_slerp_moves_at_constant_angular_speed(ab):
    a, b = (x / x.norm() for x in ab)
    def cos(x, y):
        return float((x.flatten() @ y.flatten()) / (x.norm() * y.norm()))

    total = torch.arccos(torch.tensor(cos(a, b)))
    for t in (0.25, 0.5, 0.75):
        assert float(torch.arccos(torch.tensor(cos(a, slerp(a, b, t))))) == pytest.approx(float(total) * t, rel=1e-4)


def test_nearly_parallel_falls_back_to_lerp(ab):
    a, _ = ab
    b = a * 2 + 1e-6
    out = slerp(a, b, 0.3)
    assert torch.allclose(out, lerp(a, b, 0.3), atol=1e-6)
    assert torch.isfinite(out).all()


def test_opposite_vectors_keep_norm_and_stay_finite(ab):
    a, _ = ab
    b = -a
    path = [slerp(a, b, t) for t in (0.1, 0.25, 0.5, 0.75, 0.9)]
    for x in path:
        assert torch.isfinite(x).all()
        assert float(x.norm()) == pytest.approx(float(a.norm()), rel=1e-4)
    # continuous: equal steps move equal angles through the half circle
    assert torch.allclose(slerp(a, b, 1e-7), a, atol=1e-4)


def test_zero_vector_and_dtype_are_handled(ab):
    a, b = ab
    z = torch.zeros_like(a)
    assert torch.allclose(slerp(z, b, 0.5), 0.5 * b)
    half = slerp(a.half(), b.half(), 0.5)
    assert half.dtype == torch.float16 and half.shape == a.shape


def test_unknown_mode_is_a_clear_error(ab):
    with pytest.raises(ValueError, match="unknown interpolation 'cubic'"):
        interpolate(*ab, 0.5, mode="cubic")
