"""Files from the panel: uploads saved beside the notebook (never overwriting, checked before use), what the panel
shows of an input, and the rule that keeps the panel's file paths inside the notebook's folder tree."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from ..errors import GiffusionError, MediaError, ProjectError
from ..project import Project

PREVIEW_PX = 160


def safe_name(name: str, default: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no odd characters."""
    base = Path(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    return base or default


def save_upload(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Write `data` as `folder/name`; an existing file with other bytes is kept and the new one numbered.

    Returns the path and whether the file is new (a rejected new file may be removed again; an old one may not)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    stem, suffix = target.stem, target.suffix
    n = 1
    while target.exists():
        if target.read_bytes() == data:
            return target, False
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target, True


def inside(root: Path, path: str | os.PathLike) -> Path:
    """`path` (relative to `root` unless absolute) resolved, refused when it leaves `root`'s folder tree."""
    resolved = (root / Path(path)).resolve()
    if not resolved.is_relative_to(root):
        raise ProjectError(f"{path}: the panel reads and writes project files only inside {root}; "
                           f"give a path in that folder or below it")
    return resolved


def save_project_file(project: Project, path: str | os.PathLike, root: Path | None = None,
                      overwrite: bool = False) -> Path:
    """Write `project` as JSON (".json" added when missing) and return the path. An existing file is replaced only
    when it is a project file of this package, or with `overwrite`; given `root`, only inside its folder tree (and
    never `overwrite`: the panel cannot ask for it)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        path = path.with_name(path.name + ".json")
    if root is not None:
        path, overwrite = inside(root, path), False
    if path.exists() and not overwrite and not _is_project_file(path):
        raise ProjectError(f"{path} exists and is not a project file of this package, so it is kept: "
                           f"choose another name")
    path.parent.mkdir(parents=True, exist_ok=True)
    project.save(path)
    return path


def _is_project_file(path: Path) -> bool:
    try:
        Project.from_json(path)
    except (GiffusionError, OSError, ValueError, TypeError):
        return False
    return True


def describe_image(path: str | os.PathLike) -> tuple[dict, bytes]:
    """What the panel shows of an initial image: {name, width, height} and a small PNG. Raises MediaError when the
    file is not a readable image."""
    from ..media.image import load_image, to_rgb

    image = load_image(path)
    info = {"name": Path(path).name, "width": image.width, "height": image.height}
    thumb = to_rgb(image, path)
    thumb.thumbnail((PREVIEW_PX, PREVIEW_PX))
    buffer = io.BytesIO()
    thumb.save(buffer, format="PNG")
    return info, buffer.getvalue()


def describe_video(path: str | os.PathLike) -> dict:
    """What the panel shows of a video input. Raises MediaError when the file is not a readable video."""
    from ..media.video import probe_video

    info = probe_video(path)
    return {"name": Path(path).name, "fps": float(info.fps), "frame_count": int(info.frame_count),
            "width": int(info.width), "height": int(info.height)}


def check_kind(kind: object, kinds: tuple[str, ...]) -> str:
    if kind not in kinds:
        raise MediaError(f"cannot upload a file of kind {kind!r}; the panel takes {', '.join(kinds)}")
    return str(kind)
