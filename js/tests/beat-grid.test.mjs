import { test } from "node:test";
import assert from "node:assert/strict";

import { barBeat, beatGrid, beatLines, beatSuffix, rulerTicks, snapFrame } from "../src/beat-grid.js";
import { makeAxis } from "../src/timeaxis.js";

const project = (changes = {}) => ({ fps: 10, bpm: 120, beats_per_bar: 4, keyframe_unit: "beats", ...changes });

test("the grid has a beat every fps * 60 / bpm frames, none without a tempo", () => {
  assert.deepEqual(beatGrid(project()), { framesPerBeat: 5, beatsPerBar: 4, offset: 0 });
  assert.equal(beatGrid(project({ bpm: null })), null);
  assert.equal(beatGrid(project({ bpm: 137, fps: 24 })).framesPerBeat, 24 * 60 / 137);
});

test("dragged keyframes snap to the nearest beat, Alt frees them", () => {
  assert.equal(snapFrame(7, project()), 5);
  assert.equal(snapFrame(8, project()), 10);
  assert.equal(snapFrame(8, project(), true), 8);
  assert.equal(snapFrame(8, project({ bpm: null })), 8);
  assert.equal(snapFrame(11, project({ bpm: 137, fps: 24 })), 11, "beat 1 of 137 BPM at 24 fps is frame 10.5 -> 11");
});

test("beat and bar lines in view, beats dropped when too dense", () => {
  const axis = makeAxis({ start: 0, pxPerFrame: 4, width: 200, length: 60 }); // frames 0..50
  const lines = beatLines(axis, project());
  assert.deepEqual(lines.map((l) => l.frame), [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
  assert.deepEqual(lines.filter((l) => l.bar).map((l) => l.frame), [0, 20, 40]);
  const far = makeAxis({ start: 0, pxPerFrame: 0.5, width: 400, length: 800 });
  assert.ok(beatLines(far, project()).every((l) => l.bar), "2.5 px a beat: bars only");
  assert.deepEqual(beatLines(axis, project({ bpm: null })), []);
});

test("the ruler counts in the project's unit", () => {
  const axis = makeAxis({ start: 0, pxPerFrame: 4, width: 400, length: 100 });
  const beats = rulerTicks(axis, project());
  assert.equal(beats.unit, "beats");
  assert.deepEqual(beats.ticks.slice(0, 3), [{ frame: 0, label: "1.1" }, { frame: 20, label: "2.1" },
    { frame: 40, label: "3.1" }]);
  const seconds = rulerTicks(axis, project({ keyframe_unit: "seconds" }));
  assert.deepEqual(seconds.ticks.slice(0, 2), [{ frame: 0, label: "0 s" }, { frame: 20, label: "2 s" }]);
  assert.equal(rulerTicks(axis, project({ keyframe_unit: "beats", bpm: null })).unit, "frames");
  assert.equal(rulerTicks(axis, project({ keyframe_unit: "frames" })).ticks[1].label, "20");
  assert.equal(barBeat(5, beatGrid(project())), "2.2");
  assert.equal(beatSuffix(10, project()), " · bar 1.3");
  assert.equal(beatSuffix(11, project()), " · bar 1.3+");
  assert.equal(beatSuffix(11, project({ keyframe_unit: "frames" })), "");
});

test("the grid starts at the first beat's second, so bars line up with the music", () => {
  const late = project({ beat_offset: 0.3 }); // the first beat at frame 3
  assert.equal(snapFrame(7, late), 8);
  assert.equal(snapFrame(1, late), 3, "no beat before frame 0: the first one");
  const axis = makeAxis({ start: 0, pxPerFrame: 4, width: 200, length: 60 });
  const lines = beatLines(axis, late);
  assert.deepEqual(lines.slice(0, 3).map((l) => l.frame), [3, 8, 13]);
  assert.deepEqual(lines.filter((l) => l.bar).map((l) => l.frame), [3, 23, 43]);
  assert.equal(rulerTicks(axis, late).ticks[0].label, "1.1");
  assert.equal(beatSuffix(23, late), " · bar 2.1");
});
