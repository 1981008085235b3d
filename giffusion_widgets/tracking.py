"""Comet experiment tracking for finished renders.

`log_to_comet(animation)` logs the prompts, keyframes, every setting, each frame, the output file, the audio
keyframes and the pipeline's identity. The frames are already on disk, so logging never touches them and never
raises: whatever goes wrong comes back as a `CometResult` whose `error` says what happened.

Credentials come only from Comet's own configuration (~/.comet.config, COMET_API_KEY, ...). With no key, with an
`offline_directory`, or with Comet out of reach (a bounded probe, through the proxy when one is set), the run goes
to an offline archive that `comet upload` can send later. `log_to_comet_in_background` does the same in its own
thread, so a render or a panel never waits on the network. comet_ml is imported on first use, so
`import giffusion_widgets` never pulls it in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .animation import Animation
from .network import PROBE_SECONDS, reachable

log = logging.getLogger(__name__)

# Set before comet_ml is imported, so it does not patch torch and friends.
COMET_ENV_DEFAULTS = {"COMET_DISABLE_AUTO_LOGGING": "1"}

# Everything Comet would collect on its own is off: this logs a render, not the machine or the notebook's code.
EXPERIMENT_OPTIONS: dict[str, Any] = {
    "log_code": False, "log_graph": False, "auto_param_logging": False, "auto_metric_logging": False,
    "parse_args": False, "auto_output_logging": False, "log_env_details": False, "log_git_metadata": False,
    "log_git_patch": False, "log_env_gpu": False, "log_env_host": False, "log_env_cpu": False,
    "log_env_network": False, "log_env_disk": False, "display_summary_level": 0, "auto_log_co2": False,
}

Mode = Literal["online", "offline"]


@dataclass(frozen=True)
class CometResult:
    """How logging went. `url_or_archive`: the experiment's page online, the archive's path offline."""

    mode: Mode
    url_or_archive: str | None
    message: str
    error: str | None = None
    images: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def __str__(self) -> str:
        return self.message


def log_to_comet(
    animation: Animation,
    offline_directory: str | os.PathLike | None = None,
    project_name: str | None = None,
    experiment: Any = None,
) -> CometResult:
    """Log a finished (or cancelled) render to Comet; never raises.

    `experiment`: an already started comet_ml experiment to log into (left running for the caller to end).
    Otherwise an online experiment when Comet has an API key and is reachable, else an OfflineExperiment writing
    its archive to `offline_directory` (default: <run_dir>/comet).
    """
    mode: Mode = "offline"
    secret: str | None = None
    try:
        comet_ml = _import_comet()
        secret = _api_key(comet_ml)
        with _comet_logging(secret):
            if experiment is not None:
                mode = "offline" if isinstance(experiment, comet_ml.OfflineExperiment) else "online"
                images = _log_run(experiment, animation)
                return _redacted(_result_for(experiment, mode, None, images, "logged into the given experiment"),
                                 secret)
            exp, mode, reason = _start(comet_ml, animation, offline_directory, project_name, secret)
            try:
                images = _log_run(exp, animation)
            finally:
                exp.end()
            return _redacted(_result_for(exp, mode, reason, images), secret)
    except Exception as exc:  # any failure is reported, never raised into a render or a panel callback
        words = f"{type(exc).__name__}: {exc}"
        log.warning("Comet logging failed: %s", _redact(words, secret))
        return _redacted(CometResult(mode=mode, url_or_archive=None,
                                     message=f"Comet logging failed ({words}); the frames and output are on disk "
                                             f"in {animation.run_dir}", error=words), secret)


def log_to_comet_in_background(
    animation: Animation,
    on_done: Callable[[CometResult], None] | None = None,
    **options: Any,
) -> Future[CometResult]:
    """`log_to_comet(animation, **options)` in its own daemon thread; returns at once.

    `on_done(result)` is called from that thread when logging ends (an exception it raises is logged, not lost),
    and then the returned future gets the CometResult. A render or a panel callback that calls this never waits
    on the network.
    """
    future: Future[CometResult] = Future()
    future.set_running_or_notify_cancel()

    def work() -> None:
        result = log_to_comet(animation, **options)  # never raises
        if on_done is not None:
            try:
                on_done(result)
            except Exception:  # a caller's callback must not die silently in this thread
                log.exception("the callback given to log_to_comet_in_background failed")
        future.set_result(result)

    threading.Thread(target=work, name=f"comet {animation.run_dir.name}", daemon=True).start()
    return future


# ---------------------------------------------------------------- comet setup
def _import_comet() -> Any:
    for name, value in COMET_ENV_DEFAULTS.items():
        os.environ.setdefault(name, value)
    try:
        import comet_ml
    except ImportError:
        raise ImportError("comet_ml is not installed: pip install 'giffusion-widgets[comet]'") from None
    return comet_ml


def _api_key(comet_ml: Any) -> str | None:
    """The key Comet's own configuration would use (env vars, config file); only its presence matters here."""
    key = comet_ml.get_config()["comet.api_key"]
    return str(key) if key else None


def _start(comet_ml: Any, animation: Animation, offline_directory: str | os.PathLike | None,
           project_name: str | None, secret: str | None) -> tuple[Any, Mode, str]:
    """An experiment to log into, its mode, and why that mode was chosen."""
    if offline_directory is not None:
        reason = "an offline directory was given"
    elif not secret:
        reason = "no Comet API key is configured (set COMET_API_KEY or run `comet login`)"
    elif not _reachable(comet_ml):
        reason = "the Comet server cannot be reached"
    else:
        exp = comet_ml.Experiment(project_name=project_name, **EXPERIMENT_OPTIONS)
        if exp.alive:
            return exp, "online", ""
        exp.end()
        reason = "the Comet server did not accept the experiment"
    folder = Path(offline_directory) if offline_directory is not None else animation.run_dir / "comet"
    folder.mkdir(parents=True, exist_ok=True)
    exp = comet_ml.OfflineExperiment(offline_directory=str(folder), project_name=project_name, **EXPERIMENT_OPTIONS)
    if not exp.alive:
        raise RuntimeError(f"could not start an offline experiment in {folder}")
    return exp, "offline", reason


def _reachable(comet_ml: Any, timeout: float = PROBE_SECONDS) -> bool:
    """A quick check of Comet's server (through the proxy when one is set: the proxy must open a tunnel to it), so
    a machine with no network falls back in seconds, not minutes."""
    return reachable(str(comet_ml.get_backend_address()), timeout)


class _RedactFilter(logging.Filter):
    """Blanks the API key out of a log record, traceback included, before any handler writes it."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = _redact(message, self.secret), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = _redact(record.exc_text, self.secret)
        return True


@contextlib.contextmanager
def _comet_logging(secret: str | None) -> Iterator[None]:
    """For one call: comet_ml's info chatter off the notebook (warnings still show), and the API key redacted.

    comet_ml logs through its own non-propagating "comet_ml" logger, and names a rejected key in its error
    message, so the filter sits on that logger's handlers.
    """
    logger = logging.getLogger("comet_ml")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    handlers = list(logger.handlers)
    redact = _RedactFilter(secret) if secret else None
    for handler in handlers if redact else ():
        handler.addFilter(redact)
    try:
        yield
    finally:
        logger.setLevel(level)
        for handler in handlers if redact else ():
            handler.removeFilter(redact)


# -------------------------------------------------------------------- logging
def _log_run(exp: Any, animation: Animation) -> int:
    """Log everything about one run; return how many frame images were logged."""
    project = animation.project
    exp.set_name(animation.run_dir.name)
    settings = project.to_dict()
    keyframes = settings.pop("keyframes")
    # Comet flattens or stringifies nested values unevenly; settings that are lists or objects go in as JSON text.
    settings = {k: json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v for k, v in settings.items()}
    exp.log_parameters(settings | {"num_frames": project.num_frames, "num_keyframes": len(keyframes)})
    exp.log_text(project.prompts, metadata={"kind": "prompts"})
    exp.log_asset_data(json.dumps(keyframes, indent=2), name="keyframes.json")
    exp.log_others({_identity_key(k): _plain(v) for k, v in animation.pipeline_identity.items()})
    exp.log_others({"rendered": animation.rendered, "reused": animation.reused,
                    "cancelled": getattr(animation, "cancelled", False), "run_dir": animation.run_dir.name})
    if animation.audio_keyframes:
        exp.log_asset_data(json.dumps(animation.audio_keyframes, indent=2, default=_plain),
                           name="audio_keyframes.json")
        exp.log_other("audio_keyframes", len(animation.audio_keyframes))
    images = _log_frames(exp, animation.frames)
    _log_output(exp, animation.path)
    return images


def _log_frames(exp: Any, frames: list[Path]) -> int:
    """Each frame's PNG as an image at step = its frame number."""
    failed: list[str] = []
    for i, path in enumerate(frames):
        step = int(path.stem) if path.stem.isdigit() else i
        # a file path keeps the exact PNG bytes (and avoids comet's array conversion)
        if exp.log_image(str(path), name=f"frame-{step:05d}.png", step=step) is None:
            failed.append(path.name)
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(frames)} frames could not be logged (first: {failed[0]})")
    return len(frames)


def _log_output(exp: Any, path: Path | None) -> None:
    """The finished GIF (also as an image, which Comet animates) or MP4 (also as a video)."""
    if path is None or not path.exists():
        return
    exp.log_asset(str(path), file_name=path.name)
    if path.suffix.lower() == ".mp4":
        exp.log_video(str(path), name=path.name, format="mp4")
    elif path.suffix.lower() == ".gif":
        exp.log_image(str(path), name=path.name)


def _identity_key(key: str) -> str:
    return key if key.startswith("pipeline") else f"pipeline_{key}"


def _plain(value: Any) -> Any:
    """JSON-friendly form of dataclasses (audio keyframes), numpy scalars, paths and the like."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


# --------------------------------------------------------------------- result
def _result_for(exp: Any, mode: Mode, reason: str | None, images: int, note: str = "") -> CometResult:
    if mode == "online":
        url = getattr(exp, "url", None)
        return CometResult("online", url, f"logged {images} frames to Comet: {url} {note}".strip(), images=images)
    archive = _archive(exp)
    why = f" because {reason}" if reason else ""
    message = (f"logged {images} frames to an offline Comet archive{why}: {archive}; "
               f"upload it later with `comet upload {archive}`")
    return CometResult("offline", str(archive) if archive else None, message, images=images)


def _archive(exp: Any) -> Path | None:
    """The zip an ended OfflineExperiment wrote (named after the experiment's key)."""
    folder = Path(getattr(exp, "offline_directory", "") or ".")
    found = sorted(folder.glob(f"{exp.get_key()}*.zip"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret and secret in text else text


def _redacted(result: CometResult, secret: str | None) -> CometResult:
    """The result with the API key blanked out of every text, in case an error message quoted it."""
    if not secret:
        return result
    return CometResult(result.mode, result.url_or_archive and _redact(result.url_or_archive, secret),
                       _redact(result.message, secret), result.error and _redact(result.error, secret),
                       result.images)
