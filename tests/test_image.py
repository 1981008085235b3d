"""Initial images in every common mode and format, broken files, and size rounding."""

from __future__ import annotations

import media_factory as mf
import numpy as np
import pytest
from PIL import Image

from giffusion_widgets.errors import MediaError
from giffusion_widgets.media.image import fit_size, load_image

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


def pixels(image):
    """Colours of the left half (red square) and the right half (transparent or blue)."""
    array = np.asarray(image, dtype=int)
    return array[10, 4], array[10, 30]


@pytest.mark.parametrize("mode, fmt, left, right, tolerance", [
    ("RGB", "PNG", RED, BLUE, 0),
    ("RGB", "JPEG", RED, BLUE, 6),  # lossy
    ("RGBA", "PNG", RED, WHITE, 0),  # transparent over white
    ("LA", "PNG", (76,) * 3, WHITE, 0),  # red's brightness; transparent over white
    ("P", "PNG", RED, WHITE, 0),  # palette with a transparent entry
    ("P", "GIF", RED, WHITE, 0),
    ("L", "PNG", (76,) * 3, (29,) * 3, 0),
    ("1", "PNG", WHITE, (0, 0, 0), 0),
    ("CMYK", "JPEG", RED, BLUE, 6),
    ("CMYK", "TIFF", RED, BLUE, 0),
    ("LAB", "TIFF", RED, BLUE, 25),  # 8-bit Lab cannot hold pure blue exactly
    ("I;16", "PNG", (156,) * 3, (0, 0, 0), 0),  # 40000 of 65535 -> 156 of 255
])
def test_modes_become_rgb(tmp_path, mode, fmt, left, right, tolerance):
    path = mf.image_in_mode(tmp_path, mode, fmt=fmt)
    with Image.open(path) as raw:
        assert raw.mode == mode
    image = load_image(path)
    assert image.mode == "RGB" and image.size == (37, 21)
    got_left, got_right = pixels(image)
    assert np.abs(got_left - left).max() <= tolerance and np.abs(got_right - right).max() <= tolerance


def test_a_mode_with_no_colour_reading_is_refused_by_name(tmp_path):
    path = mf.image_in_mode(tmp_path, "F", fmt="TIFF")
    with pytest.raises(MediaError, match="pixel mode F") as error:
        load_image(path)
    assert str(path) in str(error.value)


def test_exif_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (40, 16), RED)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees clockwise to display
    path = tmp_path / "sideways.jpg"
    image.save(path, exif=exif)
    assert load_image(path).size == (16, 40)


@pytest.mark.parametrize("case", ["empty", "junk", "text", "truncated jpeg", "truncated png", "missing", "folder"])
def test_bad_images_raise_media_error_naming_the_file(tmp_path, case):
    noisy = Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8))
    noisy.save(tmp_path / "noisy.png")
    noisy.save(tmp_path / "noisy.jpg")
    (tmp_path / "notes.png").write_text("not a picture\n" * 20)
    path = {
        "empty": mf.empty_file(tmp_path, "empty.png"),
        "junk": mf.junk_file(tmp_path, "junk.jpg"),
        "text": tmp_path / "notes.png",
        "truncated jpeg": mf.truncated_copy(tmp_path / "noisy.jpg"),
        "truncated png": mf.truncated_copy(tmp_path / "noisy.png"),
        "missing": tmp_path / "missing.png",
        "folder": tmp_path,
    }[case]
    with pytest.raises(MediaError) as error:
        load_image(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("size, fitted", [((512, 512), (512, 512)), ((37, 21), (32, 16)), ((1023, 769), (1016, 768)),
                                          ((3, 700), (8, 696)), ((8, 8), (8, 8))])
def test_fit_size_rounds_down_to_multiples_of_eight(size, fitted):
    assert fit_size(*size) == fitted
