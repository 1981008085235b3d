"""Initial images: load any picture Pillow reads as RGB, and round sizes to what the pipelines accept."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import MediaError
from .files import check_file

_WITH_ALPHA = {"RGBA", "RGBa", "LA", "La", "PA"}
_PLAIN = {"RGB", "L", "1", "P", "CMYK", "YCbCr", "LAB", "HSV", "RGBX"}
_SIXTEEN_BIT = {"I;16", "I;16L", "I;16B", "I;16N"}


def load_image(path: str | os.PathLike) -> Image.Image:
    """An image file as an RGB image, fully decoded, turned upright by its EXIF orientation.

    Grey, palette, CMYK and other colour modes are converted; transparency is laid over white; 16-bit grey is
    scaled to 8 bits. Raises MediaError for a missing, empty, unreadable or truncated file, and for pixel modes
    with no sensible colour reading (such as 32-bit float), naming the mode.
    """
    path = Path(path)
    check_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.load()  # decode now, so a file cut short fails here rather than later
                upright = ImageOps.exif_transpose(image)
    except UnidentifiedImageError:
        raise MediaError(f"{path}: not an image format Pillow can read") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(f"{path}: the image is too large to load safely") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise MediaError(f"{path}: the image is damaged or truncated ({error})") from None
    return to_rgb(upright, path)


def to_rgb(image: Image.Image, source: str | os.PathLike = "image") -> Image.Image:
    """`image` in RGB: transparency over white, 16-bit grey scaled to 8 bits; MediaError for other modes."""
    mode = image.mode
    if mode == "P" and "transparency" in image.info:
        mode = "PA"
        image = image.convert("RGBA")
    if mode in _WITH_ALPHA:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if mode in _PLAIN:
        return image.convert("RGB")
    if mode in _SIXTEEN_BIT or mode == "I":
        values = np.asarray(image, dtype=np.int64)
        if values.min() < 0 or values.max() > 65535:
            raise MediaError(f"{source}: pixel mode {image.mode} (32-bit integers) holds values outside 0 to "
                             f"65535, so they cannot be read as brightness")
        grey = values >> 8 if mode in _SIXTEEN_BIT or values.max() > 255 else values
        return Image.fromarray(grey.astype(np.uint8), mode="L").convert("RGB")
    raise MediaError(f"{source}: pixel mode {image.mode} cannot be turned into colours sensibly "
                     f"(save the picture as 8-bit RGB, RGBA or greyscale)")


def fit_size(width: int, height: int) -> tuple[int, int]:
    """A size the pipelines accept: each side rounded down to a multiple of 8, and at least 8."""
    return max(8, int(width) // 8 * 8), max(8, int(height) // 8 * 8)
