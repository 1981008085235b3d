// Frame <-> time <-> pixel mapping shared by the timeline and the waveform, with zoom and pan.
//
// An axis is a plain object {start, pxPerFrame, width, length, tailPx}: `start` is the (fractional) frame at the left
// edge, `width` the drawing width in CSS pixels, `length` the number of frames there is content for and `tailPx` the
// pixels wanted right of the last frame (the timeline's last label). Every function returns a new axis, so views can
// compare and share them through the bus.

export const MAX_PX_PER_FRAME = 48;
// How far past the content one may pan or zoom out, as a share of the content: room to add keyframes at the end.
export const OVERSCROLL = 0.15;
// Pixels kept free left of frame 0 and right of the span, so edge markers are not cut in half.
export const EDGE_PX = 10;
// The most of the width the tail may take, so a long label never squeezes the frames into a corner.
export const MAX_TAIL_SHARE = 0.4;

export function makeAxis({ start = 0, pxPerFrame = 1, width = 0, length = 1, tailPx = 0 } = {}) {
  return { start, pxPerFrame, width, length: Math.max(1, length), tailPx };
}

export const frameToX = (axis, frame) => (frame - axis.start) * axis.pxPerFrame;
export const xToFrame = (axis, x) => axis.start + x / axis.pxPerFrame;
/** The whole frame nearest pixel `x`, never below 0. */
export const xToNearestFrame = (axis, x) => Math.max(0, Math.round(xToFrame(axis, x)));
export const frameToTime = (frame, fps) => frame / fps;
export const timeToX = (axis, seconds, fps) => frameToX(axis, seconds * fps);

/** Frames the view may show: the content plus the overscroll margin (at least two frames). */
export const spanFrames = (axis) => Math.max(axis.length * (1 + OVERSCROLL), axis.length + 2);

/** Pixels kept right of the content: the axis's tailPx, within MAX_TAIL_SHARE of the usable width. */
export const tailPixels = (axis) => Math.min(axis.tailPx ?? 0, Math.max(0, axis.width - 2 * EDGE_PX) * MAX_TAIL_SHARE);

/** The smallest zoom: the whole span, and the tail after the content, fit the width. */
export function minPxPerFrame(axis) {
  const usable = axis.width - 2 * EDGE_PX;
  if (usable <= 0) return 1e-6;
  return Math.min(MAX_PX_PER_FRAME, usable / spanFrames(axis), (usable - tailPixels(axis)) / axis.length);
}

/** Keep zoom within limits and the view over [0, span] (plus the edge margins and the tail). */
export function clampAxis(axis) {
  const pxPerFrame = Math.min(MAX_PX_PER_FRAME, Math.max(minPxPerFrame(axis), axis.pxPerFrame));
  const minStart = -EDGE_PX / pxPerFrame;
  const end = Math.max(spanFrames(axis), axis.length + tailPixels(axis) / pxPerFrame);
  const maxStart = Math.max(minStart, end - (axis.width - EDGE_PX) / pxPerFrame);
  const start = Math.min(maxStart, Math.max(minStart, axis.start));
  return { ...axis, pxPerFrame, start };
}

/** Zoomed all the way out: the whole span in view. */
export function fitAxis(axis) {
  const pxPerFrame = minPxPerFrame(axis);
  return { ...axis, pxPerFrame, start: -EDGE_PX / pxPerFrame };
}

/** Zoom by `factor` (>1 zooms in) keeping the frame under pixel `anchorX` where it is. */
export function zoomAxis(axis, factor, anchorX = axis.width / 2) {
  const anchorFrame = xToFrame(axis, anchorX);
  const pxPerFrame = Math.min(MAX_PX_PER_FRAME, Math.max(minPxPerFrame(axis), axis.pxPerFrame * factor));
  return clampAxis({ ...axis, pxPerFrame, start: anchorFrame - anchorX / pxPerFrame });
}

/** Pan by `dx` pixels; a positive dx moves the content right (shows earlier frames). */
export function panAxis(axis, dx) {
  return clampAxis({ ...axis, start: axis.start - dx / axis.pxPerFrame });
}

/** Pan the least needed so `frame` is in view (used to follow the playhead). */
export function revealFrame(axis, frame, marginPx = 24) {
  const x = frameToX(axis, frame);
  if (x < marginPx) return clampAxis({ ...axis, start: frame - marginPx / axis.pxPerFrame });
  if (x > axis.width - marginPx) return clampAxis({ ...axis, start: frame - (axis.width - marginPx) / axis.pxPerFrame });
  return axis;
}

/** Whole frames at least partly in view: [first, last], clipped to 0 below. */
export function visibleFrames(axis) {
  const first = Math.max(0, Math.floor(axis.start));
  const last = Math.max(first, Math.ceil(axis.start + axis.width / axis.pxPerFrame));
  return { first, last };
}

const FRAME_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000];
const TIME_STEPS = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** The smallest step from `steps` whose ticks are at least `minPx` apart, given pixels per unit. */
export function chooseStep(pxPerUnit, minPx, steps) {
  for (const step of steps) if (step * pxPerUnit >= minPx) return step;
  return steps[steps.length - 1];
}

/** Labelled ticks in frames: {step, ticks: [frame...]} covering the view. */
export function frameTicks(axis, minPx = 64) {
  const step = chooseStep(axis.pxPerFrame, minPx, FRAME_STEPS);
  const { first, last } = visibleFrames(axis);
  const ticks = [];
  for (let f = Math.ceil(first / step) * step; f <= last; f += step) ticks.push(f);
  return { step, ticks };
}

/** Labelled ticks in seconds: {step, ticks: [seconds...]} covering the view at `fps`. */
export function timeTicks(axis, fps, minPx = 64) {
  const pxPerSecond = axis.pxPerFrame * fps;
  const step = chooseStep(pxPerSecond, minPx, TIME_STEPS);
  const t0 = Math.max(0, axis.start / fps);
  const t1 = (axis.start + axis.width / axis.pxPerFrame) / fps;
  const ticks = [];
  // Count in whole steps so labels do not collect float error (0.30000000000000004).
  for (let i = Math.ceil(t0 / step - 1e-9); i * step <= t1 + 1e-9; i += 1) ticks.push(Number((i * step).toFixed(3)));
  return { step, ticks };
}

/** "12.5 s", "1:05", "1:02:03" for tick labels and readouts. */
export function formatTime(seconds, step = 1) {
  const s = Math.max(0, seconds);
  if (s < 60) {
    const decimals = step < 0.1 ? 2 : step < 1 ? 1 : 0;
    return `${s.toFixed(decimals)} s`;
  }
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = String(whole % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}
