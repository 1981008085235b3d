// The beat grid on the timeline: beat and bar lines from the project's tempo (bpm, beats_per_bar), the ruler's
// labels in the project's keyframe unit (frames, seconds or beats), and keyframes snapping to the nearest beat
// while they are dragged (Alt frees them). Pure functions of the axis and the project, so tests need no browser.

import { chooseStep, formatTime, frameTicks, timeTicks, visibleFrames } from "./timeaxis.js";

const BEAT_STEPS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const MIN_BEAT_LINE_PX = 6; // closer than this, only bar lines are drawn

/** {framesPerBeat, beatsPerBar, offset (the first beat's frame, fractional)} of the project's tempo, or null when
 * it has none. */
export function beatGrid(project) {
  const bpm = Number(project?.bpm);
  const fps = Number(project?.fps);
  if (!(bpm > 0) || !(fps > 0)) return null;
  return { framesPerBeat: (fps * 60) / bpm, beatsPerBar: Math.max(1, Math.round(project.beats_per_bar || 4)),
    offset: Math.max(0, Number(project.beat_offset) || 0) * fps };
}

/** The beat at `frame` (fractional), 0 on the first beat. */
export const beatOf = (frame, grid) => (frame - grid.offset) / grid.framesPerBeat;
/** The frame (fractional) of beat `beat`. */
export const frameOfBeat = (beat, grid) => grid.offset + beat * grid.framesPerBeat;

/** The whole frame nearest the beat nearest `frame`; `frame` itself with no grid or when `free` (Alt held). */
export function snapFrame(frame, project, free = false) {
  const grid = beatGrid(project);
  if (!grid || free) return frame;
  let beat = Math.round(beatOf(frame, grid));
  if (frameOfBeat(beat, grid) < -0.5) beat += 1; // a beat before frame 0 is no place for a keyframe
  return Math.max(0, Math.round(frameOfBeat(beat, grid)));
}

/** Beat and bar lines in view: [{frame (fractional), beat, bar (true on a bar's first beat)}]; beats closer than
 * MIN_BEAT_LINE_PX are left out (bars stay while they are far enough apart). */
export function beatLines(axis, project) {
  const grid = beatGrid(project);
  if (!grid) return [];
  const { first, last } = visibleFrames(axis);
  const beatPx = grid.framesPerBeat * axis.pxPerFrame;
  const barPx = beatPx * grid.beatsPerBar;
  if (barPx < MIN_BEAT_LINE_PX) return [];
  const onlyBars = beatPx < MIN_BEAT_LINE_PX;
  const lines = [];
  for (let beat = Math.ceil(beatOf(first, grid)); frameOfBeat(beat, grid) <= last; beat += 1) {
    const bar = modulo(beat, grid.beatsPerBar) === 0;
    if (bar || !onlyBars) lines.push({ frame: frameOfBeat(beat, grid), beat, bar });
  }
  return lines;
}

const modulo = (n, m) => ((n % m) + m) % m;

/** "bar.beat" as musicians count (1-based): beat 5 of 4/4 is "2.2" (beats before the first count bar 0 down). */
export function barBeat(beat, grid) {
  const whole = Math.round(beat);
  return `${Math.floor(whole / grid.beatsPerBar) + 1}.${modulo(whole, grid.beatsPerBar) + 1}`;
}

/** The ruler's labelled ticks in the project's keyframe unit: {unit, ticks: [{frame, label}]}. Beats need a tempo;
 * without one the ruler counts frames. */
export function rulerTicks(axis, project, minPx = 64) {
  const unit = project?.keyframe_unit;
  const fps = Number(project?.fps) || 1;
  const grid = beatGrid(project);
  if (unit === "seconds") {
    const { step, ticks } = timeTicks(axis, fps, minPx);
    return { unit, ticks: ticks.map((t) => ({ frame: t * fps, label: formatTime(t, step) })) };
  }
  if (unit === "beats" && grid) {
    const step = chooseStep(grid.framesPerBeat * axis.pxPerFrame, minPx, BEAT_STEPS);
    const { first, last } = visibleFrames(axis);
    const ticks = [];
    for (let b = Math.ceil(beatOf(first, grid) / step) * step; frameOfBeat(b, grid) <= last; b += step) {
      if (frameOfBeat(b, grid) >= 0) ticks.push({ frame: frameOfBeat(b, grid), label: barBeat(b, grid) });
    }
    return { unit, ticks };
  }
  return { unit: "frames", ticks: frameTicks(axis, minPx).ticks.map((f) => ({ frame: f, label: String(f) })) };
}

/** What the readout adds for a frame when the timeline counts beats: " · bar 2.1" (" · bar 2.1+" between beats). */
export function beatSuffix(frame, project) {
  const grid = beatGrid(project);
  if (project?.keyframe_unit !== "beats" || !grid) return "";
  const beat = beatOf(frame, grid);
  const onBeat = Math.abs(beat - Math.round(beat)) < 1e-6;
  return ` · bar ${onBeat ? barBeat(beat, grid) : `${barBeat(Math.floor(beat), grid)}+`}`;
}

/** Draw the beat (faint) and bar (stronger) lines below the ruler. */
export function drawBeatGrid(ctx, axis, project, colors, top, height, frameToX) {
  const lines = beatLines(axis, project);
  if (!lines.length) return;
  ctx.save();
  ctx.lineWidth = 1;
  for (const bar of [false, true]) {
    ctx.strokeStyle = bar ? colors.accent : colors.grid;
    ctx.globalAlpha = bar ? 0.35 : 0.6;
    ctx.beginPath();
    for (const line of lines) {
      if (line.bar !== bar) continue;
      const x = Math.round(frameToX(axis, line.frame)) + 0.5;
      ctx.moveTo(x, top);
      ctx.lineTo(x, height);
    }
    ctx.stroke();
  }
  ctx.restore();
}
