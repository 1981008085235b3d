"""Re-rendering a chosen frame range with the real embedded pipeline: the same frames as a full render, bit for
bit, through the one frame cache, and nothing outside the range."""

from __future__ import annotations

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from giffusion_widgets import ProjectError
from giffusion_widgets.engine.renderer import Renderer


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB"))


def test_a_range_renders_only_its_frames_and_the_full_render_reuses_them(pipe, tiny_project, tmp_path):
    renderer = Renderer(pipe, runs_dir=tmp_path)
    events = []
    part = renderer.render_range(tiny_project, 3, 5, on_event=events.append)
    assert [p.name for p in part.frames] == ["00003.png", "00004.png", "00005.png"]
    assert part.rendered == 3 and part.reused == 0
    assert sorted(e.index for e in events if e.kind == "frame") == [3, 4, 5]
    assert iio.imread(part.path, index=None).shape[0] == 3  # the range's own GIF
    full = renderer.render(tiny_project)
    assert full.reused == 3 and full.rendered == 6  # the range came from the cache
    for path in part.frames:
        assert np.array_equal(pixels(path), pixels(full.run_dir / "frames" / path.name))
    again = renderer.render_range(tiny_project, 0, 8)
    assert again.rendered == 0 and again.reused == 9


def test_a_range_rendered_afresh_matches_the_full_render_bit_for_bit(pipe, tiny_project, tmp_path):
    # One frame per call: on a CPU a batch of 4 and a batch of 3 may differ by one level in a pixel or two, so the
    # comparison of two fresh renders holds the batches alike (through the cache the bytes are the same anyway).
    project = tiny_project.copy(batch_size=1)
    full = Renderer(pipe, runs_dir=tmp_path / "a").render(project)
    fresh = Renderer(pipe, runs_dir=tmp_path / "b").render_range(project, 6, 8)
    assert fresh.rendered == 3
    for path in fresh.frames:
        assert np.array_equal(pixels(path), pixels(full.run_dir / "frames" / path.name))


def test_an_edit_re_renders_only_the_range_asked_for(pipe, tiny_project, tmp_path):
    renderer = Renderer(pipe, runs_dir=tmp_path)
    before = renderer.render(tiny_project)
    edited = tiny_project.copy()
    edited.keyframes[2].prompt = "a yellow star"  # changes frames 5..8 (the last segment and its keyframe)
    part = renderer.render_range(edited, 4, 8)
    assert part.reused == 1 and part.rendered == 4  # frame 4 is the unchanged keyframe
    changed = [not np.array_equal(pixels(p), pixels(before.run_dir / "frames" / p.name)) for p in part.frames]
    assert changed == [False, True, True, True, True]


def test_a_range_in_the_2d_mode_matches_the_full_chain(pipe, tmp_path):
    from giffusion_widgets import Keyframe, Project

    project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(5, "a blue square")], height=64, width=64,
                      num_inference_steps=4, fps=8, animation_mode="2d", zoom=1.05, strength=0.5)
    renderer = Renderer(pipe, runs_dir=tmp_path)
    part = renderer.render_range(project, 3, 4)
    # each frame grows from the one before, so the chain up to the range is made too (and kept), the GIF is the range
    assert {"00003.png", "00004.png"} <= {p.name for p in part.frames}
    assert iio.imread(part.path, index=None).shape[0] == 2
    full = Renderer(pipe, runs_dir=tmp_path / "fresh").render(project)
    for path in part.frames:
        assert np.array_equal(pixels(path), pixels(full.run_dir / "frames" / path.name))


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 4), (0, 9), (1.5, 3)])
def test_a_range_outside_the_animation_is_refused_before_any_folder(pipe, tiny_project, tmp_path, start, end):
    with pytest.raises(ProjectError, match="range|frames"):
        Renderer(pipe, runs_dir=tmp_path).render_range(tiny_project, start, end)
    assert not any(tmp_path.iterdir())
