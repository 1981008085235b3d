"""A judge of embedded-world pictures: which colour, shape and background a picture shows.

It reads a picture the way the world's drawer makes one: a vertical background gradient, found per row from the
left and right borders; the foreground is what stands far from it (its largest connected part). The colour is the
palette entry nearest the foreground's median; the background is the one whose gradient fits the border best; the
shape is the world shape whose outline, fitted to the foreground's bounding box, overlaps it most.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .embedded_world import BACKGROUNDS, COLOURS, SHAPES, shape_polygon

FOREGROUND_DISTANCE = 60.0  # RGB distance from the row's background colour
BORDER = 3  # pixels of each side border that sample the background
MIN_AREA = 0.004  # of the picture: a smaller foreground counts as no shape


@dataclass(frozen=True)
class Verdict:
    colour: str | None
    shape: str | None
    background: str
    area: float  # foreground share of the picture
    shape_score: float  # overlap (IoU) of the best-fitting outline


def _rgb(image) -> np.ndarray:
    array = np.asarray(image.convert("RGB") if hasattr(image, "convert") else image)
    if array.ndim != 3 or array.shape[2] < 3:
        raise ValueError(f"expected an RGB picture, got an array of shape {array.shape}")
    return array[..., :3].astype(float)


def background_of(pixels: np.ndarray) -> str:
    """The world background whose gradient is nearest the picture's left and right borders, row by row."""
    rows = np.linspace(0, 1, len(pixels))[:, None]
    border = np.concatenate([pixels[:, :BORDER], pixels[:, -BORDER:]], 1)  # (H, 2*BORDER, 3)
    errors = {}
    for name, (top, bottom) in BACKGROUNDS.items():
        expected = np.asarray(top, float) + rows * (np.asarray(bottom, float) - np.asarray(top, float))
        errors[name] = float(np.median(np.linalg.norm(border - expected[:, None], axis=2)))
    return min(errors, key=errors.get)


def foreground_mask(pixels: np.ndarray) -> np.ndarray:
    """Pixels far from their row's background colour (the border median), largest connected part, holes filled."""
    from scipy import ndimage

    border = np.concatenate([pixels[:, :BORDER], pixels[:, -BORDER:]], 1)
    row_colour = np.median(border, axis=1)
    far = np.linalg.norm(pixels - row_colour[:, None], axis=2) > FOREGROUND_DISTANCE
    labels, count = ndimage.label(far)
    if count == 0:
        return far
    sizes = ndimage.sum(far, labels, index=range(1, count + 1))
    return ndimage.binary_fill_holes(labels == 1 + int(np.argmax(sizes)))


def outline_mask(shape: str, box: tuple[int, int, int, int], size: tuple[int, int]) -> np.ndarray:
    """The shape's outline stretched to fill `box` (x0, y0, x1, y1, inclusive pixels) on a canvas of `size` (w, h)."""
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = box
    canvas = Image.new("L", size, 0)
    pen = ImageDraw.Draw(canvas)
    if shape == "circle":
        pen.ellipse([x0, y0, x1, y1], fill=1)
    else:
        points = np.asarray(shape_polygon(shape, 0.0, 0.0, 1.0))
        low, high = points.min(0), points.max(0)
        scaled = (points - low) / (high - low) * [x1 - x0, y1 - y0] + [x0, y0]
        pen.polygon([tuple(p) for p in scaled], fill=1)
    return np.asarray(canvas, bool)


def shape_of(mask: np.ndarray) -> tuple[str | None, float]:
    """The best-fitting world shape for a foreground mask and its overlap, or (None, 0) for an empty mask."""
    if mask.mean() < MIN_AREA:
        return None, 0.0
    ys, xs = np.nonzero(mask)
    box = (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))
    scores = {}
    for shape in SHAPES:
        outline = outline_mask(shape, box, (mask.shape[1], mask.shape[0]))
        scores[shape] = float((outline & mask).sum() / max(1, (outline | mask).sum()))
    best = max(scores, key=scores.get)
    return best, scores[best]


def colour_of(pixels: np.ndarray, mask: np.ndarray) -> str | None:
    """The palette colour nearest the median of the foreground's inner pixels (edges blend with the background)."""
    from scipy import ndimage

    if mask.mean() < MIN_AREA:
        return None
    inner = ndimage.binary_erosion(mask, iterations=max(1, len(mask) // 64))
    chosen = pixels[inner if inner.sum() >= 4 else mask]
    median = np.median(chosen, axis=0)
    return min(COLOURS, key=lambda name: float(np.linalg.norm(median - np.asarray(COLOURS[name], float))))


def judge(image) -> Verdict:
    """What an RGB picture (PIL image or array) shows, in the world's words."""
    pixels = _rgb(image)
    mask = foreground_mask(pixels)
    shape, score = shape_of(mask)
    return Verdict(colour_of(pixels, mask), shape, background_of(pixels), float(mask.mean()), score)
