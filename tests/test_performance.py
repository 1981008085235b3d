"""Speed and memory levers: optimize(), batch_size="auto" backing off on out-of-memory, and the draft preview."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from giffusion_widgets import PipelineError, ProjectError
from giffusion_widgets.engine import renderer as renderer_module
from giffusion_widgets.engine.pipelines import load_pipeline, optimize, pipeline_info
from giffusion_widgets.engine.renderer import Renderer, render


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def test_memory_levers_apply_and_frames_stay_the_same(tiny_project, tmp_path):
    plain = load_pipeline()
    saver = load_pipeline(attention_slicing=True, vae_slicing=True, vae_tiling=True, channels_last=True)
    assert pipeline_info(saver).extra["optimizations"] == ["attention_slicing", "vae_slicing", "vae_tiling",
                                                           "channels_last"]
    assert pipeline_info(plain).extra["optimizations"] == []  # nothing unless asked (or a small GPU)
    assert saver.unet.conv_in.weight.is_contiguous(memory_format=torch.channels_last)
    a = render(tiny_project, plain, runs_dir=tmp_path / "a")
    b = render(tiny_project, saver, runs_dir=tmp_path / "b")
    for x, y in zip(a.frames, b.frames, strict=True):  # slicing changes the order of arithmetic, not the picture
        assert np.abs(pixels(x) - pixels(y)).max() <= 2


def test_unknown_offload_is_refused(pipe):
    with pytest.raises(PipelineError, match="unknown offload 'disk'"):
        optimize(pipe, offload="disk")


def test_dtype_names_are_checked():
    with pytest.raises(PipelineError, match="unknown dtype 'float8'"):
        load_pipeline(dtype="float8")


def test_auto_batch_backs_off_on_out_of_memory_and_keeps_frames(pipe, tiny_project, tmp_path, monkeypatch):
    """A GPU cannot exist here, so the out-of-memory error it would raise for batches over 2 frames is simulated."""
    real_call = renderer_module._Run._call
    sizes = []

    def call_with_small_memory(self, pipe_, specs, size, channels):
        sizes.append(len(specs))
        if len(specs) > 2:
            raise renderer_module.OUT_OF_MEMORY("CUDA out of memory (simulated)")
        return real_call(self, pipe_, specs, size, channels)

    monkeypatch.setattr(renderer_module._Run, "_call", call_with_small_memory)
    r = Renderer(pipe, runs_dir=tmp_path)
    anim = r.render(tiny_project.copy(batch_size="auto"))
    assert sizes[:3] == [8, 4, 2] and set(sizes[3:]) <= {2, 1}
    assert anim.rendered == 9 and not anim.cancelled and anim.path.exists()
    assert r.auto_batch == 2  # remembered for the next render

    with pytest.raises(PipelineError, match="out of memory rendering 4 frame"):
        render(tiny_project.copy(batch_size=4, seed=5), pipe, runs_dir=tmp_path)


def test_batch_size_must_be_a_number_or_auto(tiny_project):
    with pytest.raises(ProjectError, match="batch_size must be a whole number >= 1 or 'auto'"):
        tiny_project.copy(batch_size="many").validate()


def test_draft_preview_renders_keyframes_small_and_fast_and_is_not_reused(pipe, tiny_project, tmp_path):
    r = Renderer(pipe, runs_dir=tmp_path)
    project = tiny_project.copy(height=128, width=128, num_inference_steps=8)
    draft = r.preview(project)
    assert draft.draft and [p.name for p in draft.frames] == ["00000.png", "00004.png", "00008.png"]
    assert Image.open(draft.frames[0]).size == (64, 64)
    assert draft.project.num_inference_steps == 2  # a quarter of the steps
    assert draft.path.name == "output.gif" and draft.path.exists()
    full = r.render(project)
    assert full.reused == 0 and full.rendered == 9
    assert Image.open(full.frames[0]).size == (128, 128)


def test_draft_every_nth_frame_keeps_the_last(pipe, tiny_project, tmp_path):
    draft = Renderer(pipe, runs_dir=tmp_path).preview(tiny_project, every=3, steps=1, scale=1.0)
    assert [int(p.stem) for p in draft.frames] == [0, 3, 6, 8]
    with pytest.raises(ProjectError, match="every must be at least 1"):
        Renderer(pipe, runs_dir=tmp_path).preview(tiny_project, every=0)


def test_draft_with_a_tiny_autoencoder_restores_the_vae(pipe, tiny_project, tmp_path):
    from diffusers import AutoencoderTiny

    torch.manual_seed(0)
    tiny = AutoencoderTiny(encoder_block_out_channels=(16, 16, 16, 16), decoder_block_out_channels=(16, 16, 16, 16),
                           num_encoder_blocks=(1, 1, 1, 1), num_decoder_blocks=(1, 1, 1, 1), latent_channels=4)
    tiny.save_pretrained(tmp_path / "taesd")
    original = pipe.vae
    r = Renderer(pipe, runs_dir=tmp_path / "runs")
    with_tiny = r.preview(tiny_project, tiny_vae=tmp_path / "taesd", scale=1.0)
    assert pipe.vae is original
    plain = r.preview(tiny_project, scale=1.0)
    assert plain.reused == 0  # a different decoder makes different frames: never mixed up in the cache
    assert not (pixels(with_tiny.frames[0]) == pixels(plain.frames[0])).all()
