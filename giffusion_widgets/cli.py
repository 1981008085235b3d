"""The command line: `giffusion render project.json`, `giffusion demo`, and friends, for scripts and CI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

EXAMPLE = Path(__file__).parent / "examples" / "circle-to-square.json"


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


def _render(project, args, fmt: str | None = None):
    from .engine.pipelines import load_pipeline
    from .engine.renderer import render

    if fmt:
        project.output_format = fmt
    if args.checkpoint is not None:
        project.checkpoint = args.checkpoint or None
    if args.pipeline_class:
        project.pipeline_class = args.pipeline_class
    pipe = load_pipeline(project.checkpoint, project.pipeline_class, allow_pickle=args.allow_pickle,
                         trust_remote_code=args.trust_remote_code)
    return render(project, pipe, runs_dir=args.out, on_event=_progress())


def cmd_render(args: argparse.Namespace) -> int:
    from .project import Project

    project = Project.from_json(args.project)
    animation = _render(project, args, args.format)
    print(f"{animation.path}  ({animation.rendered} rendered, {animation.reused} reused)")
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    from .engine.renderer import resume

    animation = resume(args.run_dir, on_event=_progress())
    print(f"{animation.path}  ({animation.rendered} rendered, {animation.reused} reused)")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .project import Project

    project = Project.from_json(EXAMPLE)
    print(f"Rendering {EXAMPLE.name}: {project.num_frames} frames with the embedded pipeline")
    for fmt in ("gif", "mp4"):
        animation = _render(project, args, fmt)
        print(f"{fmt.upper()}: {animation.path}  ({animation.rendered} rendered, {animation.reused} reused)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Parse a prompt file or project and report the first problem with its line and column."""
    from .project import Project
    from .prompts import parse_prompts

    path = Path(args.file)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        project = Project.from_json(text).validate()
        print(f"{path}: {len(project.keyframes)} keyframes, {project.num_frames} frames")
    else:
        keyframes = parse_prompts(text)
        print(f"{path}: {len(keyframes)} keyframes, {keyframes[-1].frame + 1 if keyframes else 0} frames")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="giffusion", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def pipeline_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", default="runs", help="folder for run folders (default: runs)")
        p.add_argument("--checkpoint", default=None,
                       help="hub id or local folder of a diffusers pipeline ('' = embedded default)")
        p.add_argument("--pipeline-class", default=None, help="diffusers pipeline class name")
        p.add_argument("--allow-pickle", action="store_true", help="allow non-safetensors weights")
        p.add_argument("--trust-remote-code", action="store_true", help="allow custom pipeline code")

    p = sub.add_parser("render", help="render a project JSON file to GIF or MP4")
    p.add_argument("project", help="project .json file (see `giffusion_widgets.Project`)")
    p.add_argument("--format", choices=("gif", "mp4"), default=None, help="override the project's output format")
    pipeline_options(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("resume", help="finish a cancelled or interrupted run in its folder")
    p.add_argument("run_dir")
    p.set_defaults(func=cmd_resume)

    p = sub.add_parser("demo", help="render the bundled example to a GIF and an MP4 with the embedded pipeline")
    pipeline_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help="check a prompt text file or project JSON without rendering")
    p.add_argument("file")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import GiffusionError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except GiffusionError as exc:
        print(f"giffusion: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("giffusion: interrupted; finished frames are kept (see `giffusion resume RUN_DIR`)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
