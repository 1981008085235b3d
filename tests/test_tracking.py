"""Comet logging: a real OfflineExperiment archive, opened and checked; the API key never leaks; failures are words."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from giffusion_widgets import tracking
from giffusion_widgets.animation import Animation
from giffusion_widgets.project import Keyframe, Project
from giffusion_widgets.tracking import CometResult, log_to_comet

pytest.importorskip("comet_ml")

SECRET = "abc-secret-123"


@pytest.fixture(autouse=True)
def no_comet_credentials(monkeypatch, tmp_path):
    """Tests see no user's Comet key or config file unless they set one."""
    for name in ("COMET_API_KEY", "COMET_WORKSPACE", "COMET_PROJECT_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COMET_CONFIG", str(tmp_path / "no.comet.config"))


@pytest.fixture
def comet_console():
    """What comet_ml's own console handler writes, caught in a buffer (it keeps the stderr it found at import)."""
    import io

    import comet_ml  # noqa: F401  (sets up its logger)

    buffer = io.StringIO()
    handlers = [h for h in logging.getLogger("comet_ml").handlers if isinstance(h, logging.StreamHandler)]
    assert handlers
    previous = [h.setStream(buffer) for h in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def make_animation(run_dir: Path, n: int = 4, audio: bool = True) -> Animation:
    """A finished run folder written by hand: n gradient PNG frames and a GIF of them."""
    (run_dir / "frames").mkdir(parents=True)
    project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(n - 1, "a blue square", seed=3)], fps=4,
                      height=16, width=16)
    project.to_json(run_dir / "settings.json")
    frames = []
    for i in range(n):
        pixels = np.zeros((16, 16, 3), np.uint8)
        pixels[..., 0] = np.arange(16, dtype=np.uint8)[None, :] * 16
        pixels[..., 2] = i * 60
        path = run_dir / "frames" / f"{i:05d}.png"
        Image.fromarray(pixels).save(path)
        frames.append(path)
    images = [Image.open(f) for f in frames]
    images[0].save(run_dir / "output.gif", save_all=True, append_images=images[1:], duration=250, loop=0)
    return Animation(run_dir=run_dir, project=project, frames=frames, path=run_dir / "output.gif", rendered=n,
                     pipeline_identity={"pipeline_class": "StableDiffusionPipeline", "checkpoint": "embedded",
                                        "dtype": "float32", "fingerprint": "f00d"},
                     audio_keyframes=[{"frame": 0, "time": 0.0}, {"frame": n - 1, "time": 0.75}] if audio else None)


def read_archive(path: str | Path) -> tuple[zipfile.ZipFile, list[dict]]:
    archive = zipfile.ZipFile(path)
    messages = [json.loads(line) for line in archive.read("messages.json").decode().splitlines()]
    return archive, messages


def uploads(messages: list[dict], upload_type: str) -> list[dict]:
    return [m["payload"] for m in messages
            if m["type"] == "file_upload" and m["payload"]["upload_type"] == upload_type]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def render_tiny(pipe, run_dir: Path, output_format: str = "gif") -> Animation:
    """A real render with the embedded pipeline, made as small as it goes: 4 frames of 64 x 64, 2 steps."""
    from giffusion_widgets import render

    project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(3, "a blue square", seed=3)], height=64,
                      width=64, num_inference_steps=2, batch_size=4, fps=4, output_format=output_format)
    return render(project, pipeline=pipe, run_dir=run_dir)


@pytest.fixture(params=["gif", "mp4"])
def rendered(request, pipe, tmp_path) -> Animation:
    return render_tiny(pipe, tmp_path / "run", request.param)


def test_offline_archive_holds_settings_prompts_frames_output_and_identity(rendered, tmp_path):
    from giffusion_widgets.media.audio import AudioKeyframe

    animation = rendered
    animation.audio_keyframes = [AudioKeyframe(0, 0.0, 0.0), AudioKeyframe(4, 0.5, 1.0)]
    result = log_to_comet(animation, offline_directory=tmp_path / "comet", project_name="tests")

    frames = animation.project.num_frames
    assert result.ok and result.mode == "offline" and result.images == frames == len(animation.frames)
    assert "offline" in result.message and "comet upload" in result.message
    archive_path = Path(result.url_or_archive)
    assert archive_path.parent == tmp_path / "comet" and archive_path.suffix == ".zip"
    archive, messages = read_archive(archive_path)

    params = {m["payload"]["param"]["paramName"]: m["payload"]["param"]["paramValue"]
              for m in messages if m["type"] == "parameter_msg" and m["payload"]["param"]["source"] == "manual"}
    settings = animation.project.to_dict()
    settings.pop("keyframes")
    settings = {k: json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v for k, v in settings.items()}
    assert {k: params[k] for k in settings} == settings
    assert params["num_frames"] == frames == 4 and params["num_keyframes"] == 2

    images = [u for u in uploads(messages, "visualization") if u["additional_params"]["figName"].startswith("frame-")]
    assert len(images) == frames
    assert [u["additional_params"]["step"] for u in images] == list(range(frames))
    for upload, frame in zip(images, animation.frames, strict=True):
        assert archive.read(upload["file_path"]) == frame.read_bytes()

    assets = {u["additional_params"]["fileName"]: archive.read(u["file_path"]) for u in uploads(messages, "asset")}
    output = animation.path
    assert output.suffix == "." + animation.project.output_format
    assert assets[output.name] == output.read_bytes()
    shown = "video" if output.suffix == ".mp4" else "visualization"
    assert [archive.read(u["file_path"]) for u in uploads(messages, shown)
            if output.name in str(u["additional_params"].get("fileName") or u["additional_params"].get("figName"))
            ] == [output.read_bytes()]
    assert json.loads(assets["keyframes.json"]) == [k.to_dict() for k in animation.project.keyframes]
    assert json.loads(assets["audio_keyframes.json"]) == [{"frame": 0, "time": 0.0, "strength": 0.0},
                                                          {"frame": 4, "time": 0.5, "strength": 1.0}]
    texts = [archive.read(u["file_path"]).decode() for u in uploads(messages, "text-sample")]
    assert texts == [animation.project.prompts]

    others = {m["payload"]["key"]: m["payload"]["value"] for m in messages if m["type"] == "log_other"}
    identity = animation.pipeline_identity
    assert others["pipeline_class"] == identity["pipeline_class"] == "StableDiffusionPipeline"
    for key in ("checkpoint", "dtype", "fingerprint"):
        assert others[f"pipeline_{key}"] == identity[key]
    assert others["rendered"] == animation.rendered and others["audio_keyframes"] == 2


def test_no_key_logs_offline_into_the_run_folder_and_says_why(tmp_path):
    animation = make_animation(tmp_path / "run", audio=False)
    result = log_to_comet(animation)
    assert result.ok and result.mode == "offline"
    assert Path(result.url_or_archive).parent == animation.run_dir / "comet"
    assert "no Comet API key" in result.message
    _, messages = read_archive(result.url_or_archive)
    assets = {u["additional_params"]["fileName"] for u in uploads(messages, "asset")}
    assert "audio_keyframes.json" not in assets and "output.gif" in assets


@pytest.mark.parametrize("explicit_dir", [False, True])
def test_api_key_appears_nowhere(pipe, tmp_path, monkeypatch, caplog, capfd, comet_console, explicit_dir):
    monkeypatch.setenv("COMET_API_KEY", SECRET)
    monkeypatch.setattr(tracking, "_reachable", lambda comet_ml, timeout=3.0: False)  # as on a machine offline
    caplog.set_level(logging.DEBUG)
    animation = render_tiny(pipe, tmp_path / "run")
    result = log_to_comet(animation, offline_directory=(tmp_path / "run" / "upload") if explicit_dir else None)

    assert result.ok and result.mode == "offline"
    if not explicit_dir:
        assert "cannot be reached" in result.message
    assert SECRET not in repr(result)
    out, err = capfd.readouterr()
    assert SECRET not in out + err + caplog.text + comet_console.getvalue()
    for name, data in snapshot(animation.run_dir).items():
        assert SECRET.encode() not in data, name
        if name.endswith(".zip"):
            with zipfile.ZipFile(animation.run_dir / name) as archive:
                for member in archive.namelist():
                    assert SECRET.encode() not in archive.read(member), member


def test_comet_naming_the_key_in_its_own_log_is_redacted(tmp_path, monkeypatch, comet_console):
    """comet_ml logs a rejected key in clear ("The given API key '...' is invalid"); that line must not show it."""
    monkeypatch.setenv("COMET_API_KEY", SECRET)
    original = tracking._log_run

    def log_run_after_comet_complains(exp, animation):
        try:
            raise ValueError(SECRET, "https://comet.example")
        except ValueError:
            logging.getLogger("comet_ml.experiment").error("The given API key '%s' is invalid", SECRET,
                                                           exc_info=True)
        return original(exp, animation)

    monkeypatch.setattr(tracking, "_log_run", log_run_after_comet_complains)
    result = log_to_comet(make_animation(tmp_path / "run"), offline_directory=tmp_path / "comet")
    assert result.ok
    printed = comet_console.getvalue()
    assert "The given API key '***' is invalid" in printed and "ValueError: ('***'" in printed
    assert SECRET not in printed


def test_unwritable_offline_directory_is_an_error_result_and_frames_stay(tmp_path):
    animation = make_animation(tmp_path / "run")
    before = snapshot(animation.run_dir)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = log_to_comet(animation, offline_directory=blocker / "comet")
    assert isinstance(result, CometResult) and not result.ok
    assert result.error and "Comet logging failed" in result.message and str(animation.run_dir) in result.message
    assert snapshot(animation.run_dir) == before


class ExplodingExperiment:
    """Stands in for an experiment whose upload breaks half way through."""

    def __init__(self) -> None:
        self.images = 0
        self.ended = False

    def __getattr__(self, name):
        return lambda *args, **kwargs: None

    def end(self) -> None:
        self.ended = True

    def log_image(self, *args, **kwargs):
        self.images += 1
        if self.images == 2:
            raise ConnectionError("upload refused")
        return {"url": "x"}


def test_failure_mid_logging_is_reported_and_a_given_experiment_is_left_running(tmp_path):
    animation = make_animation(tmp_path / "run")
    before = snapshot(animation.run_dir)
    experiment = ExplodingExperiment()
    result = log_to_comet(animation, experiment=experiment)
    assert not result.ok and "upload refused" in result.error
    assert not experiment.ended
    assert snapshot(animation.run_dir) == before


def test_a_given_offline_experiment_is_logged_into_not_ended(tmp_path):
    import comet_ml

    animation = make_animation(tmp_path / "run")
    experiment = comet_ml.OfflineExperiment(offline_directory=str(tmp_path / "mine"), **tracking.EXPERIMENT_OPTIONS)
    result = log_to_comet(animation, experiment=experiment)
    assert result.ok and result.mode == "offline" and result.images == 4
    assert experiment.alive  # the caller ends it
    experiment.end()
    archives = list((tmp_path / "mine").glob("*.zip"))
    assert len(archives) == 1
    _, messages = read_archive(archives[0])
    assert len([u for u in uploads(messages, "visualization")
                if u["additional_params"]["figName"].startswith("frame-")]) == 4


class FakeOnlineExperiment:
    """Records calls the way an online experiment on a reachable server would take them."""

    made: list[FakeOnlineExperiment] = []

    def __init__(self, alive: bool = True, **options) -> None:
        self.alive = alive
        self.options = options
        self.calls: list[tuple[str, tuple, dict]] = []
        self.url = "https://comet.example/ws/project/abc123"
        FakeOnlineExperiment.made.append(self)

    def __getattr__(self, name):
        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return {"web": "ok"}
        return record


@pytest.mark.parametrize("accepted", [True, False])
def test_online_when_a_key_is_set_and_comet_answers_else_offline(tmp_path, monkeypatch, accepted):
    import comet_ml

    monkeypatch.setenv("COMET_API_KEY", SECRET)
    monkeypatch.setattr(tracking, "_reachable", lambda comet_ml, timeout=3.0: True)
    FakeOnlineExperiment.made = []
    monkeypatch.setattr(comet_ml, "Experiment", lambda **kw: FakeOnlineExperiment(alive=accepted, **kw))
    animation = make_animation(tmp_path / "run")
    result = log_to_comet(animation, project_name="demo")

    (online,) = FakeOnlineExperiment.made
    assert online.options["project_name"] == "demo" and online.options["auto_output_logging"] is False
    assert "api_key" not in online.options  # comet_ml reads the key from its own configuration
    if accepted:
        assert result.ok and result.mode == "online" and result.url_or_archive == online.url
        steps = [kw["step"] for name, _, kw in online.calls if name == "log_image" and "step" in kw]
        assert steps == [0, 1, 2, 3]
        assert online.calls[-1][0] == "end"
    else:
        assert result.ok and result.mode == "offline" and "did not accept" in result.message
        assert [name for name, _, _ in online.calls] == ["end"]
        assert Path(result.url_or_archive).parent == animation.run_dir / "comet"


def test_missing_comet_ml_is_an_error_result(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "comet_ml", None)  # import comet_ml now raises ImportError
    result = log_to_comet(make_animation(tmp_path / "run"))
    assert not result.ok and "pip install" in result.error


def test_importing_the_package_does_not_import_comet_ml():
    code = ("import sys, giffusion_widgets, giffusion_widgets.tracking; "
            "giffusion_widgets.log_to_comet; assert 'comet_ml' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


# ---------------------------------------------------------------- network waits


@pytest.fixture
def silent_proxy(monkeypatch):
    """HTTPS_PROXY set to a local server that accepts connections and never answers: a proxy with no way out."""
    import socket

    for name in ("https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{server.getsockname()[1]}")
    yield
    server.close()


def test_a_proxy_with_no_way_out_logs_offline_instead_of_waiting(tmp_path, monkeypatch, silent_proxy):
    monkeypatch.setenv("COMET_API_KEY", SECRET)
    animation = make_animation(tmp_path / "run", audio=False)
    result = log_to_comet(animation)
    assert result.ok and result.mode == "offline", result.message
    assert "cannot be reached" in result.message
    assert Path(result.url_or_archive).parent == animation.run_dir / "comet"


def test_background_logging_returns_a_future_and_reports_back(tmp_path):
    from concurrent.futures import Future

    from giffusion_widgets.tracking import log_to_comet_in_background

    animation = make_animation(tmp_path / "run", audio=False)
    reported: list[CometResult] = []
    future = log_to_comet_in_background(animation, on_done=reported.append, project_name="demo")
    assert isinstance(future, Future)
    result = future.result(timeout=120)
    assert result.ok and result.mode == "offline" and result.images == 4
    assert reported == [result]
    _, messages = read_archive(result.url_or_archive)
    assert any(u["additional_params"]["fileName"] == "output.gif" for u in uploads(messages, "asset"))


def test_a_failing_callback_is_logged_and_the_result_kept(tmp_path, caplog):
    from giffusion_widgets.tracking import log_to_comet_in_background

    def broken(_result):
        raise RuntimeError("the panel is gone")

    future = log_to_comet_in_background(make_animation(tmp_path / "run", audio=False), on_done=broken)
    assert future.result(timeout=120).ok  # the callback has run by then
    assert "callback given to log_to_comet_in_background failed" in caplog.text
    assert "the panel is gone" in caplog.text
