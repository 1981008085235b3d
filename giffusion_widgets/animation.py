"""Animation: what a render leaves behind (a run folder with frames and an output file), shown inline in notebooks."""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .project import Project

INLINE_LIMIT = 50 * 1024 * 1024  # larger outputs are linked, not embedded, to keep notebooks openable


@dataclass
class Animation:
    run_dir: Path
    project: Project
    frames: list[Path]  # PNG files in frame order
    path: Path | None = None  # output.gif / output.mp4; None when the run was cancelled
    rendered: int = 0  # frames the pipeline made in this run
    reused: int = 0  # frames taken from the cache or an earlier run
    pipeline_identity: dict = field(default_factory=dict)
    cancelled: bool = False
    draft: bool = False  # a preview: some frames only, fewer steps, smaller
    frame_range: tuple[int, int] | None = None  # (start, end) of a range re-rendered with render_range
    audio_keyframes: list | None = None

    @classmethod
    def open(cls, run_dir: str | Path) -> Animation:
        """The Animation of an existing run folder, as far as it really got.

        Frames are those the run's manifest lists and that are on disk; the output file exists only once it was
        written whole (it is written under a temporary name and renamed). A run lacking frames or its output is
        `cancelled` (resume it to finish).
        """
        run_dir = Path(run_dir)
        project = Project.from_json(run_dir / "settings.json")
        try:
            manifest = json.loads((run_dir / "frames.json").read_text())
            listed = {int(i) for i in manifest.get("frames", {})}
        except (OSError, ValueError, AttributeError, TypeError):
            manifest, listed = {}, set()
        draft = manifest.get("draft")
        wanted = set(draft) if draft else set(range(project.num_frames))
        frames = [f for f in sorted((run_dir / "frames").glob("[0-9]*.png"))
                  if f.stem.isdigit() and int(f.stem) in listed]
        outputs = [run_dir / f"output.{ext}" for ext in ("mp4", "gif")]
        output = next((o for o in outputs if o.is_file()), None)
        complete = wanted <= {int(f.stem) for f in frames} and output is not None
        return cls(run_dir=run_dir, project=project, frames=frames, path=output,
                   pipeline_identity=manifest.get("pipeline", {}), cancelled=not complete, draft=bool(draft))

    def __len__(self) -> int:
        return len(self.frames)

    def frame(self, index: int) -> Any:
        """Frame `index` as a PIL image (negative indices count from the end)."""
        from PIL import Image

        with Image.open(self.frames[index]) as im:
            return im.convert("RGB")

    # --------------------------------------------------- outputs back as inputs
    def send_frame_to_image(self, project: Project, index: int) -> Project:
        """Make frame `index` the project's initial image (the lossless PNG, not a re-decoded GIF/MP4 frame)."""
        project.image_input = str(Path(self.frames[index]).resolve())  # valid wherever the kernel or JSON goes
        return project

    def send_to_video(self, project: Project) -> Project:
        """Make this animation's output file the project's video input."""
        if self.path is None:
            raise ValueError("this run has no output file (it was cancelled): resume it first")
        project.video_input = str(Path(self.path).resolve())
        return project

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        state = "cancelled" if self.cancelled else "finished"
        return (f"Animation({len(self.frames)} frames, {state}, rendered={self.rendered}, reused={self.reused}, "
                f"path={str(self.path) if self.path else None!r})")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._html()}

    def _html(self) -> str:
        caption = html.escape(f"{len(self.frames)} frames - {self.rendered} rendered, {self.reused} reused - "
                              f"{self.path or self.run_dir}")
        if self.path is None or not self.path.exists():
            return f"<div><em>No output file yet.</em> <small>{caption}</small></div>"
        if self.path.stat().st_size > INLINE_LIMIT:
            return f"<div>Output too large to embed: <code>{html.escape(str(self.path))}</code></div>"
        data = base64.b64encode(self.path.read_bytes()).decode()
        if self.path.suffix == ".mp4":
            media = (f'<video controls loop autoplay muted playsinline style="max-width:100%" '
                     f'src="data:video/mp4;base64,{data}"></video>')
        else:
            media = f'<img style="max-width:100%;image-rendering:auto" src="data:image/gif;base64,{data}"/>'
        return f"<figure style='margin:0'>{media}<figcaption><small>{caption}</small></figcaption></figure>"
