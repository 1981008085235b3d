// The shared frame axis on the bus: its content length follows the project, the audio and the rendered frames; it
// stays fitted until the user zooms or pans; the timeline and the waveform both read and change it here.

import { getProject } from "./model.js";
import { clampAxis, fitAxis, makeAxis, panAxis, zoomAxis } from "./timeaxis.js";

/** Frames the axis must show: through the last keyframe, the audio and the frames rendered. */
export function contentLength(project, bus, frameCount = 0) {
  const lastKeyframe = Math.max(-1, ...(project?.keyframes ?? []).map((k) => k.frame));
  return Math.max(lastKeyframe + 1, bus.state.audioFrames || 0, frameCount || 0, 1);
}

/** Set the axis width, length and tail (undefined: unchanged); refit while the user has not zoomed or panned. */
export function updateAxis(bus, { width, length, tailPx }) {
  const current = bus.state.axis ?? makeAxis({ width, length, tailPx });
  let axis = { ...current, width: width ?? current.width, length: Math.max(1, length ?? current.length),
    tailPx: tailPx ?? current.tailPx ?? 0 };
  axis = bus.state.fit ? fitAxis(axis) : clampAxis(axis);
  const old = bus.state.axis;
  if (!old || ["start", "pxPerFrame", "width", "length", "tailPx"].some((key) => old[key] !== axis[key])) {
    bus.set("axis", axis);
  }
}

/** Width and tail from the caller (undefined: unchanged), length from the model and the audio on the bus. */
export function syncAxis(bus, model, width, tailPx) {
  updateAxis(bus, { width, tailPx, length: contentLength(getProject(model), bus, model.get("frame_count") ?? 0) });
}

export function zoomBy(bus, factor, anchorX) {
  const axis = bus.state.axis;
  if (!axis) return;
  moveTo(bus, zoomAxis(axis, factor, anchorX));
}

export function panBy(bus, dx) {
  const axis = bus.state.axis;
  if (!axis) return;
  moveTo(bus, panAxis(axis, dx));
}

/** The user's zoom or pan: fitting stops only when the view really changed (a zoom already at its limit, or a pan
 * with nowhere to go, keeps the axis fitted as the content grows). */
function moveTo(bus, next) {
  const old = bus.state.axis;
  if (Math.abs(next.start - old.start) < 1e-9 && Math.abs(next.pxPerFrame - old.pxPerFrame) < 1e-9) return;
  bus.set("fit", false);
  bus.set("axis", next);
}

export function fit(bus) {
  const axis = bus.state.axis;
  if (!axis) return;
  bus.set("fit", true);
  bus.set("axis", fitAxis(axis));
}

/** Wheel over an axis: ctrl/cmd (and trackpad pinch) zooms at the pointer, shift or sideways scroll pans; a plain
 * vertical wheel is left to the page so the notebook still scrolls. */
export function handleWheel(bus, event, x) {
  if (event.ctrlKey || event.metaKey) {
    event.preventDefault();
    zoomBy(bus, Math.exp(-event.deltaY * 0.002), x);
  } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
    event.preventDefault();
    panBy(bus, -(event.shiftKey && !event.deltaX ? event.deltaY : event.deltaX));
  }
}
