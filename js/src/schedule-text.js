// Schedule text the lanes write and read themselves: points <-> "0:(1), 30:(1.05)" as
// giffusion_widgets/schedules.py writes them (points_text, format_number), the points of a text made only of
// number keys (what a drag writes and Parseq exports), a preview of the curve while a point is dragged, and
// code-point columns (the kernel's ScheduleError counts code points; JS strings count UTF-16 units).
// Everything else about a schedule (expressions, audio variables, errors) is the kernel's: it sends the curve.
// tests/fixtures/schedule_cases.json holds both sides to the same answers (js/tests/schedule-text.test.mjs).

/** Python's numpy.format_float_positional(value, unique=True, trim="-"): the shortest text that reads back as
 * `value`, never with an exponent (Deforum reads those as expressions). */
export function formatNumber(value) {
  if (!Number.isFinite(value)) throw new RangeError(`a schedule point must be finite, got ${value}`);
  if (Object.is(value, -0)) return "-0";
  const text = String(value); // the shortest round-trip digits, as Python's repr
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, rest = "", exp] = m;
  const digits = lead + rest;
  const point = 1 + Number(exp); // where the decimal point falls in `digits`
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Schedule text for [[frame, value], ...] in frame order (points_text in Python). */
export function pointsText(points) {
  if (!points.length) throw new RangeError("a schedule needs at least one point");
  const seen = new Set();
  for (const [frame] of points) {
    if (!Number.isInteger(frame) || frame < 0) {
      throw new RangeError(`a point's frame must be a whole number >= 0, got ${frame}`);
    }
    if (seen.has(frame)) throw new RangeError(`two points share frame ${frame}`);
    seen.add(frame);
  }
  return [...points].sort((a, b) => a[0] - b[0]).map(([f, v]) => `${f}:(${formatNumber(v)})`).join(", ");
}

const NUMBER = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
const VALUE = String.raw`(?:\(\s*(${NUMBER})\s*\)|(${NUMBER}))`; // "(1.5)" or "1.5"
const BARE = new RegExp(String.raw`^\s*${VALUE}\s*$`);
const KEY = new RegExp(String.raw`^\s*(["']?)\s*(\d+)\s*\1\s*:\s*${VALUE}\s*$`);
const MAX_FRAME = 1_000_000; // schedules.py MAX_FRAME

/** The [[frame, value], ...] points (sorted) of a text whose keys are all `frame:(number)`, or of a bare number;
 * null for anything else (expressions, errors): the kernel reads those. Never accepts a text the kernel refuses. */
export function numericPoints(text) {
  if (typeof text === "number") return Number.isFinite(text) ? [[0, text]] : null;
  if (typeof text !== "string" || !text.trim()) return null;
  const bare = BARE.exec(text);
  if (bare) {
    const value = Number(bare[1] ?? bare[2]);
    return Number.isFinite(value) ? [[0, value]] : null;
  }
  const entries = text.split(",");
  if (entries.length > 1 && !entries[entries.length - 1].trim()) entries.pop(); // one trailing comma is fine
  const points = new Map();
  for (const entry of entries) {
    const m = KEY.exec(entry);
    if (!m) return null;
    const frame = Number(m[2]);
    const value = Number(m[3] ?? m[4]);
    if (frame >= MAX_FRAME || points.has(frame) || !Number.isFinite(value)) return null;
    points.set(frame, value);
  }
  return [...points].sort((a, b) => a[0] - b[0]);
}

/** The curve of sorted points over `numFrames` frames, joined by straight lines as the kernel joins them for
 * linear interpolation (numpy.interp); other interpolations show it as a preview until the kernel's curve comes. */
export function previewValues(points, numFrames) {
  const out = new Array(numFrames);
  let j = 0;
  for (let f = 0; f < numFrames; f += 1) {
    while (j + 1 < points.length && points[j + 1][0] <= f) j += 1;
    const [f0, v0] = points[j];
    if (f <= f0 || j + 1 >= points.length) {
      out[f] = f < f0 ? points[0][1] : v0; // before the first point and after the last, their values hold
      continue;
    }
    const [f1, v1] = points[j + 1];
    out[f] = ((v1 - v0) / (f1 - f0)) * (f - f0) + v0; // numpy.interp's formula, for the same last bits
  }
  return out;
}

/** What a typed value stores: a plain number (as Python reads one) as a number, anything else as schedule text,
 * which the kernel checks. */
export function scheduledValue(text) {
  const trimmed = String(text).trim();
  const number = new RegExp(`^${NUMBER}$`).test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isFinite(number) ? number : text;
}

/** The UTF-16 index in `text` of a column counted in code points from 1 (the kernel's columns). */
export function columnToIndex(text, column) {
  let index = 0;
  for (let c = 1; c < column && index < text.length; c += 1) {
    index += text.codePointAt(index) > 0xffff ? 2 : 1;
  }
  return index;
}

/** The column (code points from 1) of a UTF-16 index in `text`. */
export const indexToColumn = (text, index) => [...text.slice(0, index)].length + 1;
