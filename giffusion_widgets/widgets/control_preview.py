"""What the Control section's Preview button shows: a ControlNet's (or adapter's) conditioning image of one frame,
made by the same preprocessor and at the same size as a render makes it, as PNG bytes for the panel."""

from __future__ import annotations

import io
from typing import Any

from ..control import preprocessor_of, source_of
from ..errors import GiffusionError, ProjectError
from ..project import Project


def conditioning_image(project: Project, kind: str, index: int, frame: int, conditions: Any = None) -> Any:
    """The conditioning image (PIL) of entry `index` of `project.<kind>` on `frame`; ProjectError when there is
    no such entry or its source cannot be had."""
    from ..engine.control import ConditionImages
    from ..media.image import fit_size, load_image

    if kind not in ("controlnets", "adapters"):
        raise ProjectError(f"no such control list: {kind!r}")
    entries = getattr(project, kind)
    if not 0 <= index < len(entries):
        raise ProjectError(f"there is no {kind[:-1]} {index + 1} to preview")
    entry = entries[index]
    source = source_of(project, entry)
    if source is None:
        raise ProjectError(f"{kind}: entry {index + 1} has no source to preview (a picture file, or the project's "
                           f"image or video input)")
    if source == "previous":
        raise ProjectError("the 'previous' source is the frame a 2D render grows each frame from: there is none to "
                           "preview before the render makes it")
    if source == "video":
        if not project.video_input:
            raise ProjectError("the source is 'video', but the project has no video_input")
        from ..media.video import VideoReader

        with VideoReader(project.video_input) as reader:
            image = reader.frame_at_time(max(0, int(frame)) / project.fps)
    elif source == "image":
        if not project.image_input:
            raise ProjectError("the source is 'image', but the project has no image_input")
        image = load_image(project.image_input)
    else:
        image = load_image(source)
    w, h = (project.width, project.height) if project.width and project.height else fit_size(*image.size)
    conditions = conditions or ConditionImages(size=8)
    return conditions(image, preprocessor_of(entry), (h, w))


def preview_message(project: Project, content: dict, conditions: Any = None) -> tuple[dict, list[bytes]]:
    """The reply to {"type": "control_preview", kind, index, frame}: the PNG as a buffer, or an error to show."""
    kind, index = content.get("kind"), content.get("index")
    reply: dict = {"type": "control_preview", "kind": kind, "index": index}
    try:
        if not isinstance(index, int) or isinstance(index, bool):
            raise ProjectError(f"a preview names an entry by its index, got {index!r}")
        frame = content.get("frame") or 0
        image = conditioning_image(project, str(kind), index, int(frame) if isinstance(frame, int) else 0,
                                   conditions)
    except GiffusionError as exc:
        return {**reply, "error": str(exc)}, []
    out = io.BytesIO()
    image.save(out, format="PNG")
    return {**reply, "width": image.width, "height": image.height}, [out.getvalue()]
