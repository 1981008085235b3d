"""A project's LoRAs, lent to the pipeline for one render: each loaded with diffusers' `load_lora_weights`, all
weighted with `set_adapters` (peft), and unloaded afterwards, so the caller's pipeline is as it was.

Files are found before the pipeline is touched; a LoRA that does not fit the pipeline (layers of other sizes, or no
layer of this pipeline at all) is an error before the first frame, and whatever was loaded is unloaded again.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..pipeline_settings import adapter_names

LORA_FILE = "pytorch_lora_weights.safetensors"  # the name diffusers' save_lora_weights gives


def _looks_like_path(text: str) -> bool:
    return text.startswith((".", "/", "~")) or text.count("/") > 1 or "\\" in text or text.endswith(".safetensors")


def lora_file(lora: Mapping[str, Any]) -> Path:
    """The LoRA's safetensors file: the file itself, the one in a folder (`file`, else diffusers' own name, else the
    only one there), or that file downloaded from a hub repo (the only network use, and only for a hub id)."""
    source, name = str(lora["path"]), lora.get("file")
    path = Path(source).expanduser()
    if path.is_file():
        chosen = path
    elif path.is_dir():
        found = sorted(p.name for p in path.glob("*.safetensors"))
        pick = name or (LORA_FILE if LORA_FILE in found else found[0] if len(found) == 1 else None)
        if pick is None:
            listed = ", ".join(found) if found else "none"
            raise PipelineError(f"LoRA folder {source!r}: name its weight file with 'file' (safetensors files "
                                f"there: {listed})")
        chosen = path / pick
        if not chosen.is_file():
            raise PipelineError(f"LoRA folder {source!r} has no file {pick!r}")
    elif _looks_like_path(source):
        raise PipelineError(f"no LoRA file or folder {source!r}")
    else:
        chosen = _download(source, name or LORA_FILE)
    if chosen.suffix != ".safetensors":
        raise PipelineError(f"LoRA {str(chosen)!r}: only safetensors files load (pickle files can run code)")
    return chosen


def _download(repo: str, filename: str) -> Path:
    """One file of a hub repo, from the local cache when it is there."""
    from huggingface_hub import errors as hub_errors
    from huggingface_hub import hf_hub_download

    from .pipelines import load_error

    try:
        return Path(hf_hub_download(repo, filename))
    except hub_errors.LocalEntryNotFoundError as exc:  # offline (a subclass of the next): say so
        raise PipelineError(f"LoRA {load_error(repo, exc)}") from exc
    except hub_errors.EntryNotFoundError:
        raise PipelineError(f"LoRA repo {repo!r} has no file {filename!r}: name its weight file with 'file'") from None
    except Exception as exc:  # not found, gated, offline: the loader's messages say what to do
        raise PipelineError(f"LoRA {load_error(repo, exc)}") from exc


@contextlib.contextmanager
def _quiet_diffusers() -> Iterator[None]:
    """diffusers logs every layer it could not place; the error raised here says it in one sentence."""
    from diffusers.utils import logging as dlog

    level = dlog.get_verbosity()
    dlog.set_verbosity(logging.CRITICAL)
    try:
        with warnings.catch_warnings():  # peft's note on a second adapter: several are what `loras` asks for
            warnings.filterwarnings("ignore", message="Already found a `peft_config`", category=UserWarning)
            yield
    finally:
        dlog.set_verbosity(level)


def _adapters(pipe: Any) -> set[str]:
    return {name for names in pipe.get_list_adapters().values() for name in names}


def _load_one(pipe: Any, lora: Mapping[str, Any], file: Path, adapter: str) -> None:
    source = lora["path"]
    try:
        with _quiet_diffusers():
            pipe.load_lora_weights(str(file.parent), weight_name=file.name, adapter_name=adapter)
    except Exception as exc:
        text = str(exc)
        sizes = next((line.strip() for line in text.splitlines() if "size mismatch" in line), "")
        if sizes:
            raise PipelineError(f"LoRA {source!r} is for another model: its layers have other sizes than "
                                f"{type(pipe).__name__}'s ({sizes})") from exc
        raise PipelineError(f"LoRA {source!r} does not load into {type(pipe).__name__}: "
                            f"{text.splitlines()[0] if text else type(exc).__name__}") from exc
    if adapter not in _adapters(pipe):
        raise PipelineError(f"LoRA {source!r} is for another model: none of its layers is in "
                            f"{type(pipe).__name__}")


@contextlib.contextmanager
def lent_loras(pipe: Any, loras: list[Mapping[str, Any]]) -> Iterator[list[Path]]:
    """`pipe` with `loras` loaded and weighted for the block's length; yields their files (for the frames' keys).
    Afterwards (or on any failure while loading) the LoRA layers are unloaded and the base weights are as before."""
    if not loras:
        yield []
        return
    if not hasattr(pipe, "load_lora_weights"):
        raise PipelineError(f"{type(pipe).__name__} takes no LoRAs (diffusers has no LoRA loader for it)")
    try:
        import peft  # noqa: F401  (diffusers' LoRA layers are peft's)
    except ImportError:
        raise PipelineError("LoRAs need the peft package: pip install 'giffusion-widgets[lora]'") from None
    own = _adapters(pipe)
    if own:
        raise PipelineError(f"the pipeline already has LoRA adapters ({', '.join(sorted(own))}); a render lends "
                            f"its project's LoRAs and takes them out afterwards, so unload those first "
                            f"(pipe.unload_lora_weights()) and list them in the project's loras")
    files = [lora_file(lora) for lora in loras]  # every file found before the pipeline is touched
    names = adapter_names(loras)
    try:
        for lora, file, name in zip(loras, files, names, strict=True):
            _load_one(pipe, lora, file, name)
        pipe.set_adapters(names, [float(lora.get("weight", 1.0)) for lora in loras])
    except BaseException:
        pipe.unload_lora_weights()
        raise
    try:
        yield files
    finally:
        pipe.unload_lora_weights()
