"""The embedded model's world: the colours, shapes and backgrounds it was trained on, the drawer of its training
pictures and the prompt forms it understands.

Plain Python and numpy (PIL for drawing), no torch: the panel, the inspiration code, the training script, the judge
and the tests all read the same palette from here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

# Foreground colours (RGB).
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 40, 40),
    "green": (40, 170, 60),
    "blue": (40, 80, 220),
    "yellow": (245, 215, 40),
    "purple": (140, 60, 190),
    "orange": (245, 140, 30),
    "white": (250, 250, 250),
    "black": (20, 20, 20),
}
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star")
# Backgrounds: vertical gradients from the top colour to the bottom colour.
BACKGROUNDS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "white": ((245, 245, 245), (235, 235, 235)),
    "black": ((10, 10, 10), (25, 25, 25)),
    "sky": ((110, 170, 235), (195, 225, 250)),
    "grass": ((120, 190, 80), (50, 120, 35)),
    "night": ((5, 10, 40), (30, 40, 90)),
    "sunset": ((120, 60, 140), (250, 150, 70)),
}
SIZE_WORDS: tuple[str, ...] = ("small", "big")
# A shape is 'small' below this half-size (as a fraction of the picture's side) and 'big' above the other.
SMALL_BELOW, BIG_ABOVE = 0.24, 0.31
# At 128 px a latent pixel is 8 px: below a half-size of about 0.2 a star or a triangle is a blob of a few latent
# pixels that no model (and no judge) can tell from a circle, so the world draws nothing smaller.
MIN_HALF_SIZE, MAX_HALF_SIZE = 0.2, 0.36
# Colour pairs closer than this (RGB distance to any part of the background) cannot be told apart in a picture.
CLASH_DISTANCE = 90.0

WORDS: tuple[str, ...] = tuple(sorted(
    set(COLOURS) | set(SHAPES) | set(BACKGROUNDS) | set(SIZE_WORDS) | {"a", "an", "on", "background"}))


@dataclass(frozen=True)
class Scene:
    """One picture of the world: a shape of a colour, centred at (x, y) with a half-size, all as fractions of the
    picture's side, on a background."""

    colour: str
    shape: str
    background: str
    x: float = 0.5
    y: float = 0.5
    half_size: float = 0.25

    def prompt(self) -> str:
        return f"{article(self.colour)} {self.colour} {self.shape} on a {self.background} background"


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def background_colours(name: str) -> np.ndarray:
    """The background's top and bottom colours, shape (2, 3)."""
    return np.asarray(BACKGROUNDS[name], float)


def clashes(colour: str, background: str) -> bool:
    """Whether a shape of `colour` would be hard to see on `background` (a black shape at night, ...)."""
    top, bottom = background_colours(background)
    samples = top + np.linspace(0, 1, 5)[:, None] * (bottom - top)
    return bool(np.linalg.norm(samples - np.asarray(COLOURS[colour], float), axis=1).min() < CLASH_DISTANCE)


def visible_pairs() -> list[tuple[str, str]]:
    """Every (colour, background) pair whose shape stands out from its background."""
    return [(c, b) for c in COLOURS for b in BACKGROUNDS if not clashes(c, b)]


def shape_polygon(shape: str, x: float, y: float, r: float) -> list[tuple[float, float]]:
    """The outline of a square, triangle or star centred at (x, y) with half-size r (same units as x, y)."""
    if shape == "square":
        s = 0.85 * r  # about a circle's area
        return [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
    if shape == "triangle":  # equilateral, pointing up, centred on its centroid
        angles = np.deg2rad([-90, 30, 150])
        return [(x + 1.15 * r * np.cos(a), y + 1.15 * r * np.sin(a)) for a in angles]
    if shape == "star":  # five points, pointing up
        points = []
        for k in range(10):
            radius = 1.2 * r if k % 2 == 0 else 0.48 * r
            angle = np.deg2rad(-90 + 36 * k)
            points.append((x + radius * np.cos(angle), y + radius * np.sin(angle)))
        return points
    raise ValueError(f"unknown shape {shape!r}; the embedded model knows {', '.join(SHAPES)}")


def draw(scene: Scene, size: int = 128) -> np.ndarray:
    """The scene as an RGB uint8 array of shape (size, size, 3)."""
    from PIL import Image, ImageDraw

    top, bottom = background_colours(scene.background)
    t = np.linspace(0, 1, size)[:, None, None]
    image = np.broadcast_to(top + t * (bottom - top), (size, size, 3)).round().astype(np.uint8)
    picture = Image.fromarray(np.ascontiguousarray(image))
    pen = ImageDraw.Draw(picture)
    fill = COLOURS[scene.colour]
    x, y, r = scene.x * size, scene.y * size, scene.half_size * size
    if scene.shape == "circle":
        pen.ellipse([x - r, y - r, x + r, y + r], fill=fill)
    else:
        pen.polygon(shape_polygon(scene.shape, x, y, r), fill=fill)
    return np.asarray(picture)


def random_scene(rng: random.Random, colour: str | None = None, shape: str | None = None,
                 background: str | None = None) -> Scene:
    """A scene with the given parts and random others; a clashing colour/background pair is never drawn."""
    while True:
        c = colour or rng.choice(list(COLOURS))
        b = background or rng.choice(list(BACKGROUNDS))
        if not clashes(c, b) or (colour and background):
            break
    half = rng.uniform(MIN_HALF_SIZE, MAX_HALF_SIZE)
    margin = 1.25 * half  # stars and triangles reach past the half-size
    x, y = (rng.uniform(margin, 1 - margin) for _ in range(2))
    return Scene(c, shape or rng.choice(SHAPES), b, x, y, half)


def size_word(scene: Scene) -> str | None:
    if scene.half_size < SMALL_BELOW:
        return "small"
    if scene.half_size > BIG_ABOVE:
        return "big"
    return None


def describe(scene: Scene, rng: random.Random) -> str:
    """A prompt for the scene in one of the forms the model learns: full, without the background, with a size word,
    or the background alone ('a sky background')."""
    an = article(scene.colour)
    roll = rng.random()
    if roll < 0.5:
        return f"{an} {scene.colour} {scene.shape} on a {scene.background} background"
    if roll < 0.7:
        return f"{an} {scene.colour} {scene.shape}"
    if roll < 0.9:
        word = size_word(scene)
        if word:
            return f"a {word} {scene.colour} {scene.shape} on a {scene.background} background"
        return f"{an} {scene.colour} {scene.shape} on a {scene.background} background"
    if roll < 0.95:
        return f"a {scene.shape} on a {scene.background} background"
    return f"{an} {scene.colour} {scene.shape} on {scene.background}"


def example_prompts(n: int, seed: int = 0) -> list[str]:
    """`n` different full prompts from the world (visible pairs only), in a seeded order."""
    rng = random.Random(seed)
    prompts: list[str] = []
    pairs = visible_pairs()
    while len(prompts) < n:
        colour, background = rng.choice(pairs)
        prompt = Scene(colour, rng.choice(SHAPES), background).prompt()
        if prompt not in prompts:
            prompts.append(prompt)
    return prompts
