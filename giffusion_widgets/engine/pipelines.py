"""Loading any diffusers pipeline, swapping its scheduler, and finding out what its `__call__` accepts."""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import itertools
import logging
import os
import warnings
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..suggest import did_you_mean


class _DropTorchvisionNotes(logging.Filter):
    """transformers notes at import that torchvision is missing; nothing here needs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "requires torchvision" not in record.getMessage()


def _drop_torchvision_notes() -> None:
    """Installed where models are first loaded (not at import), once."""
    log = logging.getLogger("transformers.utils.import_utils")
    if not any(isinstance(f, _DropTorchvisionNotes) for f in log.filters):
        log.addFilter(_DropTorchvisionNotes())


@contextlib.contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide the libraries' per-component progress bars while loading, then restore their setting."""
    _drop_torchvision_notes()
    from diffusers.utils import logging as dlog
    from transformers.utils import logging as tlog

    d_on, t_on = dlog.is_progress_bar_enabled(), tlog.is_progress_bar_enabled()
    dlog.disable_progress_bar()
    tlog.disable_progress_bar()
    try:
        with warnings.catch_warnings():  # diffusers renamed torch_dtype to dtype; the old name works on all versions
            warnings.filterwarnings("ignore", message=".*torch_dtype.*", category=FutureWarning)
            yield
    finally:
        if d_on:
            dlog.enable_progress_bar()
        if t_on:
            tlog.enable_progress_bar()


@dataclass
class PipelineInfo:
    """What a render needs to know about a loaded pipeline; kept beside it (see `pipeline_info`), never on it."""

    checkpoint: str
    pipeline_class: str
    device: str
    dtype: str
    accepts: frozenset[str]
    fingerprint: str = ""
    original_scheduler: Any = None  # the model's own scheduler, so a swap can be undone
    extra: dict = field(default_factory=dict)

    def identity(self) -> dict:
        return {"checkpoint": self.checkpoint, "pipeline_class": self.pipeline_class, "device": self.device,
                "dtype": self.dtype, "fingerprint": self.fingerprint}


def call_parameters(pipe: Any) -> frozenset[str]:
    """Names the pipeline's `__call__` accepts."""
    return frozenset(p for p in inspect.signature(pipe.__call__).parameters if p not in ("self", "kwargs"))


def fingerprint(pipe: Any) -> str:
    """A hash of every weight that decides a frame, computed afresh each time (each render calls it), so weights
    changed in place (fuse_lora, load_lora_weights, set_adapters, a hand edit) never pass for the old ones.

    Per tensor: its name, shape and dtype, and the exact integer sum of its bit patterns (any change to one value
    changes it; no float rounding hides a small edit); per LoRA layer: its adapters' scales and state. The sums are
    reduced on the tensors' own device and fetched once, so the cost is one read of the weights (see
    benchmarks/bench_engine.py for the figure).
    """
    import torch

    h = hashlib.sha256()
    sums: list[Any] = []
    for name, module in sorted(pipe.components.items()):
        if not isinstance(module, torch.nn.Module):
            continue
        for tensor_name, tensor in itertools.chain(module.named_parameters(), module.named_buffers()):
            h.update(f"{name}.{tensor_name}:{tuple(tensor.shape)}:{tensor.dtype}".encode())
            if tensor.device.type != "meta":  # offloaded weights live elsewhere; their names and shapes still count
                sums.append(_bit_sum(tensor))
        for layer_name, layer in module.named_modules():
            scaling = getattr(layer, "scaling", None)
            if isinstance(scaling, dict):  # a peft LoRA layer: adapter scales are not tensors
                state = (sorted(scaling.items()), getattr(layer, "active_adapters", None),
                         getattr(layer, "merged_adapters", None), getattr(layer, "disable_adapters", None))
                h.update(f"{name}.{layer_name}:{state}".encode())
    on_devices = [v for v in sums if not isinstance(v, int)]
    h.update(str([v for v in sums if isinstance(v, int)]).encode())
    if on_devices:  # one transfer for all the device-side sums
        h.update(torch.stack([v.to("cpu") for v in on_devices]).numpy().tobytes())
    return h.hexdigest()[:16]


_SAME_SIZE_INT = {1: "uint8", 2: "int16", 4: "int32", 8: "int64"}


def _bit_sum(tensor: Any) -> Any:
    """The int64 sum of a tensor's values read as integers of the same width (wrapping, exact): an int for a CPU
    tensor (numpy: torch's per-call overhead would dominate for small tensors), a 0-d tensor on other devices."""
    import numpy as np
    import torch

    with torch.no_grad():
        flat = tensor.detach().reshape(-1)
        if flat.dtype == torch.bool:
            flat = flat.to(torch.uint8)
        elif flat.is_floating_point() or flat.is_complex():
            flat = flat.view(getattr(torch, _SAME_SIZE_INT[flat.element_size()]))
        if flat.device.type == "cpu":
            return int(np.add.reduce(flat.numpy(), dtype=np.int64))
        return flat.sum(dtype=torch.int64)


def refresh_fingerprint(*pipes: Any) -> str:
    """Fingerprint the weights of the first pipeline now and record it for all (they share components)."""
    value = fingerprint(pipes[0])
    for pipe in pipes:
        pipeline_info(pipe).fingerprint = value
    return value


def default_device() -> str:
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def resolve_dtype(dtype: Any, device: str) -> Any:
    """float16 on a GPU, float32 on a CPU, unless asked for otherwise ('float32', 'float16', 'bfloat16' or a dtype)."""
    import torch

    if dtype is None or dtype == "auto":
        return torch.float16 if device.startswith(("cuda", "mps")) else torch.float32
    if isinstance(dtype, str):
        try:
            return {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[dtype]
        except KeyError:
            raise PipelineError(f"unknown dtype {dtype!r}: use 'float32', 'float16' or 'bfloat16'") from None
    return dtype


def pipeline_class_by_name(name: str | None) -> Any:
    import diffusers

    if name is None or name == "":
        return diffusers.DiffusionPipeline
    cls = getattr(diffusers, name, None)
    # AutoPipelineFor* classes are not DiffusionPipeline subclasses, but load the same way
    loadable = isinstance(cls, type) and (issubclass(cls, diffusers.DiffusionPipeline)
                                          or name.startswith("AutoPipeline"))
    if not loadable:
        names = [n for n in dir(diffusers) if n.endswith("Pipeline") or n.startswith("AutoPipeline")]
        hint = did_you_mean(name, names, suffix="Pipeline") or " See diffusers' list of pipelines."
        raise PipelineError(f"unknown pipeline class {name!r}: diffusers has no pipeline of that name.{hint}")
    return cls


def load_error(checkpoint: str, exc: Exception) -> PipelineError:
    """Turn the hub's and the loader's errors into what happened and what to do."""
    from huggingface_hub import errors as hub_errors

    text = str(exc)
    if isinstance(exc, hub_errors.RepositoryNotFoundError):
        return PipelineError(
            f"no model {checkpoint!r} on the Hugging Face hub (or it is private: log in with `hf auth login`)")
    if isinstance(exc, hub_errors.GatedRepoError):
        return PipelineError(f"{checkpoint!r} is gated: accept its licence on the hub, then log in")
    offline = isinstance(exc, (hub_errors.LocalEntryNotFoundError, hub_errors.OfflineModeIsEnabled)) or any(
        s in text for s in ("offline", "connect", "Connection", "resolve", "Max retries", "cached locally",
                            "outgoing traffic"))
    if offline:
        return PipelineError(
            f"{checkpoint!r} is not in the local cache and the hub cannot be reached. Connect to the network "
            f"(and unset HF_HUB_OFFLINE), or download the model where you can and pass its local folder.")
    if "safetensors" in text.lower():
        return PipelineError(
            f"{checkpoint!r} has no safetensors weights; pickle weights can run code when loaded, so they load "
            f"only with allow_pickle=True, for a source you trust")
    return PipelineError(f"cannot load {checkpoint!r}: {text.splitlines()[0] if text else type(exc).__name__}")


def load_pipeline(
    checkpoint: str | os.PathLike | None = None,
    pipeline_class: str | None = None,
    *,
    device: str | None = None,
    dtype: Any = None,
    scheduler: str | None = None,
    attention_slicing: bool | None = None,
    vae_slicing: bool | None = None,
    vae_tiling: bool = False,
    offload: str | None = None,
    channels_last: bool = False,
    compile: bool = False,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
    local_files_only: bool | None = None,
    **options: Any,
) -> Any:
    """Load a diffusers pipeline from a hub id or a local folder; with no checkpoint, the embedded default.

    `pipeline_class` names any diffusers pipeline class ("StableDiffusionPipeline", "AutoPipelineForText2Image",
    ...); None reads it from the checkpoint's model_index.json. Weights load from safetensors only unless
    `allow_pickle=True`; custom pipeline code runs only with `trust_remote_code=True`. Other keyword arguments go to
    `from_pretrained` (variant, revision, token, ...).

    Speed and memory (see `optimize`): `device` and `dtype` default to the GPU in float16 when there is one, else the
    CPU in float32; memory savers are off unless asked for, or (None) switched on for GPUs under 8 GiB.
    """
    from .builtin import BUILTIN_NAME, builtin_path

    builtin = checkpoint is None or checkpoint == ""
    with quiet_loading():
        source = builtin_path() if builtin else checkpoint
    cls = pipeline_class_by_name(pipeline_class or ("StableDiffusionPipeline" if builtin else None))
    name = BUILTIN_NAME if builtin else str(checkpoint)
    path = Path(os.fspath(source))
    is_local = path.exists()
    text = str(checkpoint)
    looks_like_path = text.startswith((".", "/", "~")) or text.count("/") > 1 or "\\" in text
    if not builtin and not is_local and looks_like_path:
        raise PipelineError(f"no folder {checkpoint!r}: give a local folder with a model_index.json, or a hub id "
                            f"like 'stabilityai/sd-turbo'")
    if is_local and path.is_dir() and not (path / "model_index.json").exists():
        raise PipelineError(f"{checkpoint!r} has no model_index.json: it is not a diffusers pipeline folder")
    device = device or default_device()
    torch_dtype = resolve_dtype(dtype, device)
    kwargs: dict[str, Any] = dict(options, torch_dtype=torch_dtype)
    kwargs["use_safetensors"] = None if allow_pickle else True
    if trust_remote_code:
        kwargs["trust_remote_code"] = True
    elif "custom_pipeline" in kwargs:
        raise PipelineError("custom_pipeline runs code from outside diffusers: pass trust_remote_code=True to allow it")
    if local_files_only is not None:
        kwargs["local_files_only"] = local_files_only
    elif is_local:
        kwargs["local_files_only"] = True
    try:
        with quiet_loading():
            pipe = cls.from_pretrained(os.fspath(source), **kwargs)
    except PipelineError:
        raise
    except Exception as exc:  # the hub and the loaders raise many kinds; each becomes one clear message
        raise load_error(name, exc) from exc
    if not offload:  # offloading places each model on the GPU itself, only while it runs
        pipe = pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    register_info(pipe, PipelineInfo(
        checkpoint=name, pipeline_class=type(pipe).__name__, device=str(device),
        dtype=str(torch_dtype).replace("torch.", ""), accepts=call_parameters(pipe), fingerprint=fingerprint(pipe),
        original_scheduler=pipe.scheduler))
    if scheduler:
        set_scheduler(pipe, scheduler)
    optimize(pipe, attention_slicing=attention_slicing, vae_slicing=vae_slicing, vae_tiling=vae_tiling,
             offload=offload, channels_last=channels_last, compile=compile, device=device)
    return pipe


def _small_gpu(device: str) -> bool:
    import torch

    if not (device.startswith("cuda") and torch.cuda.is_available()):
        return False
    return torch.cuda.get_device_properties(torch.device(device)).total_memory < 8 * 1024**3


def optimize(pipe: Any, *, attention_slicing: bool | None = None, vae_slicing: bool | None = None,
             vae_tiling: bool = False, offload: str | None = None, channels_last: bool = False,
             compile: bool = False, device: str | None = None) -> list[str]:
    """Apply diffusers' speed and memory levers to a loaded pipeline; return what was switched on.

    - attention_slicing: less memory in attention, a little slower. None: on for GPUs under 8 GiB.
    - vae_slicing / vae_tiling: decode a batch one image (tiling: one tile) at a time; for large batches / sizes.
    - offload: "model" keeps only the running model on the GPU (fits SD in ~3 GiB, modest slowdown);
      "sequential" moves layer by layer (fits almost anywhere, much slower).
    - channels_last: the UNet's memory format; often faster on recent GPUs.
    - compile: torch.compile the UNet (or transformer); the first frames are slow while it compiles.
    """
    import torch

    device = device or str(getattr(pipe, "device", "cpu"))
    small = _small_gpu(device)
    applied: list[str] = []
    if attention_slicing or (attention_slicing is None and small):
        pipe.enable_attention_slicing()
        applied.append("attention_slicing")
    vae = getattr(pipe, "vae", None)
    if vae is not None and (vae_slicing or (vae_slicing is None and small)) and hasattr(vae, "enable_slicing"):
        vae.enable_slicing()
        applied.append("vae_slicing")
    if vae is not None and vae_tiling and hasattr(vae, "enable_tiling"):
        vae.enable_tiling()
        applied.append("vae_tiling")
    if offload == "model":
        pipe.enable_model_cpu_offload()
        applied.append("model_cpu_offload")
    elif offload == "sequential":
        pipe.enable_sequential_cpu_offload()
        applied.append("sequential_cpu_offload")
    elif offload:
        raise PipelineError(f"unknown offload {offload!r}: use 'model' or 'sequential'")
    denoiser = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
    if channels_last and denoiser is not None:
        denoiser.to(memory_format=torch.channels_last)
        applied.append("channels_last")
    if compile and denoiser is not None:
        denoiser.compile()  # in place, so the pipeline keeps the same module and its config
        applied.append("compile")
    pipeline_info(pipe).extra["optimizations"] = applied
    return applied


# Metadata of the pipelines this process has seen, kept beside them: diffusers objects are never written to, and an
# entry goes when its pipeline is garbage-collected.
_INFO: weakref.WeakKeyDictionary[Any, PipelineInfo] = weakref.WeakKeyDictionary()


def register_info(pipe: Any, info: PipelineInfo) -> None:
    """Record what a render needs to know about `pipe` (for pipelines made from another, such as img2img forms)."""
    _INFO[pipe] = info


def pipeline_info(pipe: Any) -> PipelineInfo:
    """The PipelineInfo of a pipeline, made on first use for pipelines built by hand rather than load_pipeline."""
    info = _INFO.get(pipe)
    if info is None:
        device = getattr(pipe, "device", "cpu")
        dtype = getattr(pipe, "dtype", None)
        info = PipelineInfo(
            checkpoint=str(getattr(pipe, "name_or_path", "") or getattr(pipe.config, "_name_or_path", "") or "custom"),
            pipeline_class=type(pipe).__name__, device=str(device), dtype=str(dtype).replace("torch.", ""),
            accepts=call_parameters(pipe), fingerprint=fingerprint(pipe), original_scheduler=pipe.scheduler)
        _INFO[pipe] = info
    return info


def scheduler_for(pipe: Any, name: str | None, overrides: dict | None = None, current: Any = None) -> Any:
    """A new scheduler of class `name`, made from the model's own scheduler config (prediction type, spacing...),
    with `overrides` (a project's scheduler_kwargs) over that config, each checked to be a name the class takes.

    None or "" gives a fresh copy of the pipeline's current scheduler (`current` when given: the caller's one while
    a render has lent the pipeline another). The pipeline itself is not changed.
    """
    import diffusers

    from .call_args import check_scheduler_kwargs

    if not name:
        current = pipe.scheduler if current is None else current
        cls, config = type(current), current.config
    else:
        original = pipeline_info(pipe).original_scheduler
        cls = getattr(diffusers, name, None)
        if not (isinstance(cls, type) and issubclass(cls, diffusers.SchedulerMixin)):
            names = [n for n in dir(diffusers) if n.endswith("Scheduler")]
            hint = did_you_mean(name, names, suffix="Scheduler")
            raise PipelineError(f"unknown scheduler {name!r}.{hint}")
        compatible = {c.__name__ for c in getattr(original, "compatibles", [])} | {type(original).__name__}
        if compatible and name not in compatible:
            raise PipelineError(f"{name} does not work with this pipeline's {type(original).__name__}; "
                                f"compatible: {', '.join(sorted(compatible))}")
        config = original.config
    if not overrides:
        return cls.from_config(config)
    check_scheduler_kwargs(cls, overrides)
    try:
        return cls.from_config(config, **overrides)
    except Exception as exc:  # a value the scheduler cannot use (an unknown beta_schedule, a wrong type, ...)
        raise PipelineError(f"scheduler_kwargs: {cls.__name__} cannot use {overrides}: {exc}") from exc


def set_scheduler(pipe: Any, name: str | None) -> None:
    """Swap the pipeline's scheduler by class name, keeping the model's own scheduler config.

    None or "" restores the scheduler the pipeline came with. (A render never calls this: it lends the pipeline
    the project's scheduler for its length and gives the caller's back.)
    """
    if not name:
        pipe.scheduler = pipeline_info(pipe).original_scheduler
    elif type(pipe.scheduler).__name__ != name:
        pipe.scheduler = scheduler_for(pipe, name)
