"""The command line: `giffusion render project.json`, `giffusion demo`, and friends, for scripts and CI.

Exit status: 0 done, 1 a render that started and failed, 2 bad input (arguments, files, settings), 130 interrupted.
Every error is one line naming the file and the problem; `--debug` adds the traceback.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import GiffusionError

EXAMPLE = Path(__file__).parent / "examples" / "circle-to-square.json"
BAD_INPUT, RENDER_FAILED, INTERRUPTED = 2, 1, 130


class BadInput(GiffusionError):
    """An argument or input file the command cannot use (exit status 2)."""


class RenderFailed(Exception):
    """A render that started and then failed (exit status 1); the cause is the error it raised."""


def _progress():
    """An event handler drawing a tqdm bar of frames (rendered or reused) on stderr."""
    from tqdm import tqdm

    state: dict = {}

    def on_event(event) -> None:
        if event.kind == "started":
            state["bar"] = tqdm(total=event.total, unit="frame", desc=event.run_id, dynamic_ncols=True)
            state["reused"] = 0
        elif event.kind == "frame" and "bar" in state:
            state["reused"] += event.reused
            state["bar"].set_postfix(reused=state["reused"], refresh=False)
            state["bar"].update(1)
        elif event.kind in ("finished", "cancelled", "failed") and "bar" in state:
            state.pop("bar").close()

    return on_event


def _rendering(work: Callable[[], Any]) -> Any:
    """Run the render itself: whatever it raises (but Ctrl+C) is a failed render, not bad input."""
    try:
        return work()
    except (KeyboardInterrupt, RenderFailed):
        raise
    except Exception as exc:
        raise RenderFailed() from exc


def _check_out(out: str) -> Path:
    """The folder for run folders, made if need be; BadInput when it is a file or cannot be written."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise BadInput(f"--out {path}: not a folder (it is a file)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):  # a folder that exists may still refuse files
            pass
    except OSError as exc:
        raise BadInput(f"--out {path}: cannot write there ({exc.strerror or exc})") from None
    return path


def _read_project(path: str):
    from .project import Project

    return Project.from_json(Path(path))


def _validated(project, source: Path):
    """`project` when a render can use it; BadInput naming `source` (the project file) otherwise."""
    try:
        return project.validate()
    except GiffusionError as exc:
        raise BadInput(f"{source}: {exc}") from None


def _ready(project, args, source: Path) -> Any:
    """Apply the command's options to `project`, check it and its media, and load the pipeline."""
    from .schedule import check_inputs

    if args.checkpoint is not None:
        project.checkpoint = args.checkpoint or None
    if args.pipeline_class:
        project.pipeline_class = args.pipeline_class
    _validated(project, source)
    check_inputs(project)
    _check_out(args.out)
    from .engine.pipelines import load_pipeline  # torch: only once the input is known to be good

    return load_pipeline(project.checkpoint, project.pipeline_class, allow_pickle=args.allow_pickle,
                         trust_remote_code=args.trust_remote_code)


def _client(args: argparse.Namespace) -> Any:
    """A Dask client of the scheduler at --scheduler ADDR (None without one); its workers make the frames."""
    address = getattr(args, "scheduler", None)
    if not address:
        return None
    try:
        from distributed import Client
    except ImportError:
        raise BadInput("--scheduler needs Dask: pip install 'giffusion-widgets[cluster]'") from None
    try:
        return Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise BadInput(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _render(project, pipe, args):
    from .engine.renderer import render

    client = _client(args)
    try:
        return _rendering(lambda: render(project, pipe, runs_dir=args.out, on_event=_progress(), client=client))
    finally:
        if client is not None:
            client.close()


def cmd_render(args: argparse.Namespace) -> int:
    project = _read_project(args.project)
    if args.format:
        project.output_format = args.format
    animation = _render(project, _ready(project, args, Path(args.project)), args)
    print(f"{animation.path}  ({animation.rendered} rendered, {animation.reused} reused)")
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir)
    if not run_dir.is_dir():
        raise BadInput(f"{run_dir}: not a run folder ({'no such folder' if not run_dir.exists() else 'a file'})")
    _validated(_read_project(str(run_dir / "settings.json")), run_dir / "settings.json")
    from .engine.renderer import resume

    client = _client(args)
    try:
        animation = _rendering(lambda: resume(run_dir, on_event=_progress(), client=client))
    finally:
        if client is not None:
            client.close()
    print(f"{animation.path}  ({animation.rendered} rendered, {animation.reused} reused)")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    project = _read_project(str(EXAMPLE))
    pipe = _ready(project, args, EXAMPLE)
    print(f"Rendering {EXAMPLE.name}: {project.num_frames} frames with the embedded pipeline")
    for fmt in ("gif", "mp4"):
        project.output_format = fmt
        animation = _render(project, pipe, args)
        print(f"{fmt.upper()}: {animation.path}  ({animation.rendered} rendered, {animation.reused} reused)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check a prompt file or project (and its media) without rendering; report every problem."""
    from .media.files import check_file
    from .prompts import parse_prompts
    from .schedule import check_inputs

    path = Path(args.file)
    if path.suffix.lower() == ".json":
        project = _validated(_read_project(str(path)), path)
        check_inputs(project)
        print(f"{path}: {len(project.keyframes)} keyframes, {project.num_frames} frames")
        return 0
    try:
        check_file(path)
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text (byte at offset {exc.start})") from None
    except GiffusionError as exc:
        raise BadInput(str(exc)) from None
    try:
        keyframes = parse_prompts(text)
    except GiffusionError as exc:
        raise BadInput(f"{path}: {exc}") from None
    if not keyframes:
        raise BadInput(f"{path}: no keyframes: add at least one line like '0: a picture of a corgi'")
    print(f"{path}: {len(keyframes)} keyframes, {keyframes[-1].frame + 1} frames")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="print the traceback of an error")
    parser = argparse.ArgumentParser(prog="giffusion", description=__doc__, parents=[common],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def pipeline_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", default="runs", help="folder for run folders (default: runs)")
        p.add_argument("--checkpoint", default=None,
                       help="hub id or local folder of a diffusers pipeline ('' = embedded default)")
        p.add_argument("--pipeline-class", default=None, help="diffusers pipeline class name")
        p.add_argument("--allow-pickle", action="store_true", help="allow non-safetensors weights")
        p.add_argument("--trust-remote-code", action="store_true", help="allow custom pipeline code")

    def scheduler_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scheduler", default=None, metavar="ADDR",
                       help="render on the workers of the Dask scheduler at ADDR (tcp://host:8786)")

    p = sub.add_parser("render", help="render a project JSON file to GIF or MP4", parents=[common])
    p.add_argument("project", help="project .json file (see `giffusion_widgets.Project`)")
    p.add_argument("--format", choices=("gif", "mp4"), default=None, help="override the project's output format")
    pipeline_options(p)
    scheduler_option(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("resume", help="finish a cancelled or interrupted run in its folder", parents=[common])
    p.add_argument("run_dir")
    scheduler_option(p)
    p.set_defaults(func=cmd_resume)

    p = sub.add_parser("demo", help="render the bundled example to a GIF and an MP4 with the embedded pipeline",
                       parents=[common])
    pipeline_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help="check a prompt text file or project JSON without rendering",
                       parents=[common])
    p.add_argument("file")
    p.set_defaults(func=cmd_check)
    return parser


def _one_line(exc: BaseException) -> str:
    """An error as one line: OS errors name their file, errors of no kind this package raises name their type."""
    if isinstance(exc, OSError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or exc}"
    elif isinstance(exc, (GiffusionError, OSError)):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc} (run with --debug for the traceback)"
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # argparse itself exits 2 on bad arguments
    debug = getattr(args, "debug", False)

    def report(exc: BaseException, status: int, prefix: str = "error") -> int:
        if debug:
            traceback.print_exception(exc)
        print(f"giffusion: {prefix}: {_one_line(exc)}", file=sys.stderr)
        return status

    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("giffusion: interrupted; finished frames are kept (see `giffusion resume RUN_DIR`)", file=sys.stderr)
        return INTERRUPTED
    except RenderFailed as exc:
        return report(exc.__cause__ or exc, RENDER_FAILED, "render failed")
    except (GiffusionError, OSError) as exc:
        return report(exc, BAD_INPUT)
    except Exception as exc:  # a bug: still one line, with the traceback on --debug
        return report(exc, RENDER_FAILED)


if __name__ == "__main__":
    sys.exit(main())
