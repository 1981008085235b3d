// The pure part of a schedule lane: which points a setting's value has, edits of them (new arrays; a refused edit
// returns its argument, as keyframes.js does), the value range a lane draws, and the value a drag writes.

import { numericPoints } from "./schedule-text.js";

/** What each scheduled setting's lane shows at least, and the value where it leaves frames as they are. */
export const LANE_SCALES = {
  strength: { range: [0, 1], neutral: null },
  guidance_scale: { range: [0, 12], neutral: null },
  noise: { range: [0, 0.1], neutral: 0 },
  contrast: { range: [0.9, 1.1], neutral: 1 },
  zoom: { range: [0.98, 1.02], neutral: 1 },
  angle: { range: [-2, 2], neutral: 0 },
  translation_x: { range: [-4, 4], neutral: 0 },
  translation_y: { range: [-4, 4], neutral: 0 },
};

/** The points of a setting's value: a number is one point at frame 0; schedule text made of number keys is read
 * here; other text takes the kernel's points (`kernelPoints`, null when its keys are expressions). */
export function valuePoints(value, kernelPoints = null) {
  if (typeof value === "number") return Number.isFinite(value) ? [[0, value]] : null;
  return numericPoints(value) ?? (kernelPoints ? kernelPoints.map(([f, v]) => [f, v]) : null);
}

/** The value to store for points: a lone point on frame 0 is a plain number, others schedule text. */
export function pointsValue(points, toText) {
  return points.length === 1 && points[0][0] === 0 ? points[0][1] : toText(points);
}

const byFrame = (points) => [...points].sort((a, b) => a[0] - b[0]);
export const pointAt = (points, frame) => points.find((p) => p[0] === frame) ?? null;

export function addPoint(points, frame, value) {
  if (!Number.isInteger(frame) || frame < 0 || pointAt(points, frame)) return points;
  return byFrame([...points, [frame, value]]);
}

/** Move the point on `from` to (`frame`, `value`); refused onto another point's frame or below 0. */
export function movePoint(points, from, frame, value) {
  if (!pointAt(points, from) || !Number.isInteger(frame) || frame < 0) return points;
  if (frame !== from && pointAt(points, frame)) return points;
  return byFrame(points.map((p) => (p[0] === from ? [frame, value] : p)));
}

/** Remove the point on `frame`; the last point stays (a schedule needs one). */
export function removePoint(points, frame) {
  if (points.length <= 1 || !pointAt(points, frame)) return points;
  return points.filter((p) => p[0] !== frame);
}

/** The point nearest the pointer within `tolerancePx`, or null; `distance(point)` is in pixels. */
export function nearestPoint(points, distance, tolerancePx) {
  let best = null;
  let bestD = tolerancePx;
  for (const p of points) {
    const d = distance(p);
    if (d <= bestD) {
      best = p;
      bestD = d;
    }
  }
  return best;
}

/** [low, high] a lane draws: the setting's own range widened to the values, with a margin. */
export function valueRange(values, name) {
  const [softLow, softHigh] = LANE_SCALES[name]?.range ?? [0, 1];
  let lo = softLow;
  let hi = softHigh;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const margin = (hi - lo) * 0.08 || 1;
  return [lo - margin, hi + margin];
}

/** The step of dragged values and of the arrow keys: the power of ten nearest a 50th of the lane's range (about
 * a pixel: 0.001 for zoom's). */
export const valueStep = ([lo, hi]) => 10 ** Math.round(Math.log10((hi - lo) / 50));

/** A dragged value rounded to the lane's step, so the text stays short. */
export function roundValue(value, [lo, hi]) {
  const step = valueStep([lo, hi]);
  const rounded = Math.round(value / step) * step;
  return Number(rounded.toFixed(Math.max(0, -Math.floor(Math.log10(step)))));
}

/** Round values inside [lo, hi] for a lane's grid lines: steps of 1, 2 or 5 times a power of ten, at most `most`. */
export function valueTicks([lo, hi], most = 5) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const power = 10 ** Math.floor(Math.log10(span / most));
  const slack = span * 1e-9; // 0.1 + 0.2 is not 0.3
  const count = (s) => Math.floor((hi + slack) / s) - Math.ceil((lo - slack) / s) + 1;
  const step = [1, 2, 5, 10, 20].map((m) => m * power).find((s) => count(s) <= most);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks = [];
  for (let i = Math.ceil((lo - slack) / step); i * step <= hi + slack; i += 1) {
    ticks.push(Number((i * step).toFixed(digits)));
  }
  return ticks;
}
