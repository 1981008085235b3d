"""Pipeline loading: the embedded default, by class name, from a local folder, and clear errors."""

from __future__ import annotations

import pytest

from giffusion_widgets import PipelineError
from giffusion_widgets.engine.builtin import BUILTIN_VERSION, builtin_path
from giffusion_widgets.engine.pipelines import (
    call_parameters,
    fingerprint,
    load_pipeline,
    pipeline_info,
    set_scheduler,
)


def test_embedded_default_is_a_real_stable_diffusion_pipeline(pipe):
    from diffusers import StableDiffusionPipeline

    assert isinstance(pipe, StableDiffusionPipeline)
    assert pipe.vae_scale_factor == 8  # 4-block VAE, like Stable Diffusion's
    info = pipeline_info(pipe)
    assert {"prompt_embeds", "negative_prompt_embeds", "latents", "callback_on_step_end"} <= info.accepts
    assert info.checkpoint == f"giffusion-widgets/{BUILTIN_VERSION}" and len(info.fingerprint) == 16


def test_embedded_default_is_saved_once_and_loaded_from_its_folder():
    folder = builtin_path()
    assert (folder / "model_index.json").exists()
    weights = list(folder.rglob("*.safetensors"))
    assert weights and not list(folder.rglob("*.bin"))


@pytest.mark.parametrize("cls", ["StableDiffusionImg2ImgPipeline", "DiffusionPipeline", "AutoPipelineForText2Image"])
def test_load_by_class_name_from_a_local_folder(cls):
    pipe = load_pipeline(str(builtin_path()), cls)
    assert pipeline_info(pipe).pipeline_class == type(pipe).__name__
    if cls == "StableDiffusionImg2ImgPipeline":
        assert {"image", "strength"} <= call_parameters(pipe)


def test_same_weights_same_fingerprint_different_weights_different(pipe):
    import torch

    again = load_pipeline()
    assert pipeline_info(again).fingerprint == pipeline_info(pipe).fingerprint
    with torch.no_grad():
        next(again.unet.parameters()).add_(0.01)
    assert fingerprint(again) != pipeline_info(pipe).fingerprint


def test_metadata_is_kept_beside_the_pipeline_not_on_it(pipe):
    import gc
    import weakref

    assert not [name for name in vars(pipe) if "giffusion" in name]
    assert pipeline_info(pipe) is pipeline_info(pipe)
    made = load_pipeline()
    assert pipeline_info(made).checkpoint == pipeline_info(pipe).checkpoint
    gone = weakref.ref(made)
    del made
    gc.collect()
    assert gone() is None  # the metadata does not keep a pipeline alive


def test_importing_the_loader_changes_no_logging():
    import subprocess
    import sys

    code = ("import logging; from giffusion_widgets.engine import pipelines, renderer; "
            "print(len(logging.getLogger('transformers.utils.import_utils').filters))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0"  # the filter goes on where models are first loaded (see quiet_loading)


def test_unknown_class_suggests_close_names():
    with pytest.raises(PipelineError, match="Did you mean StableDiffusionPipeline"):
        load_pipeline(None, "StableDifusionPipeline")


def test_missing_folder_and_non_pipeline_folder_are_named(tmp_path):
    with pytest.raises(PipelineError, match="no folder './nowhere'"):
        load_pipeline("./nowhere")
    with pytest.raises(PipelineError, match="no model_index.json"):
        load_pipeline(str(tmp_path))


def test_hub_id_without_network_says_what_to_do(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(PipelineError, match="not in the local cache and the hub cannot be reached"):
        load_pipeline("some-org/some-model-that-is-not-cached")


def test_remote_code_and_pickle_need_opt_in(tmp_path):
    with pytest.raises(PipelineError, match="trust_remote_code=True"):
        load_pipeline(str(builtin_path()), custom_pipeline="lpw_stable_diffusion")
    import shutil

    pickled = tmp_path / "pickled"
    shutil.copytree(builtin_path(), pickled)
    pipe = load_pipeline(str(pickled))
    pipe.save_pretrained(pickled, safe_serialization=False)
    for part in ("unet", "vae"):  # diffusers' own models, now only as pickle (.bin) files
        for f in (pickled / part).glob("*.safetensors"):
            f.unlink()
    assert list((pickled / "unet").glob("*.bin"))
    with pytest.raises(PipelineError, match="allow_pickle=True"):
        load_pipeline(str(pickled))
    assert load_pipeline(str(pickled), allow_pickle=True) is not None


def test_unknown_or_incompatible_scheduler_is_refused(pipe):
    with pytest.raises(PipelineError, match="unknown scheduler 'EulerScheduler'"):
        set_scheduler(pipe, "EulerScheduler")
    with pytest.raises(PipelineError, match="does not work with this pipeline"):
        set_scheduler(pipe, "FlowMatchEulerDiscreteScheduler")
    assert type(pipe.scheduler).__name__ == "DDIMScheduler"
