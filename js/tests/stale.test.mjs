// The stale frames and run counts as the panel reads them (js/src/stale.js), the filmstrip's titles and the
// timeline's stale stretch of the rendered bar.
import { test } from "node:test";
import assert from "node:assert/strict";

import { thumbTitle } from "../src/filmstrip.js";
import { inRanges, rangesText, runCounts, staleFrames } from "../src/stale.js";
import { describeStatus, outputPlaceholder } from "../src/studio.js";
import { staleShown } from "../src/timeline.js";

const modelOf = (traits) => ({ get: (name) => traits[name] });

test("frames in ranges, and ranges as text", () => {
  const ranges = [[1, 3], [7, 7], [9, 12]];
  assert.deepEqual([0, 1, 3, 4, 7, 8, 9, 12, 13].map((i) => inRanges(ranges, i)),
    [false, true, true, false, true, false, true, true, false]);
  assert.equal(inRanges([], 0), false);
  assert.equal(inRanges(undefined, 0), false);
  assert.equal(rangesText(ranges), "1-3, 7, 9-12");
  assert.equal(rangesText(undefined), "");
});

test("the stale frames trait, and nothing stale while it is unknown", () => {
  const known = staleFrames(modelOf({ stale_frames: { known: true, stale: [[1, 7]], changed: [[1, 8]], count: 7,
    total: 9, message: "7 of 9 frames would re-render (2 from the cache)." } }));
  assert.equal(known.has(4), true);
  assert.equal(known.has(8), false);
  assert.equal(known.changed(8), true);
  assert.equal(known.count, 7);
  const unknown = staleFrames(modelOf({ stale_frames: { known: false, stale: [[0, 8]], message: "9 frames…" } }));
  assert.equal(unknown.has(0), false);
  assert.equal(unknown.message, "9 frames…");
  assert.equal(staleFrames(modelOf({})).has(0), false);
});

test("one count of the run: the status line, the frames header and the output say the same", () => {
  const status = { state: "rendering", done: 4, total: 25 };
  assert.deepEqual(runCounts(status), { done: 4, total: 25, left: 21 });
  assert.deepEqual(runCounts({ done: 30, total: 25 }), { done: 25, total: 25, left: 0 });
  assert.deepEqual(runCounts(undefined), { done: 0, total: 0, left: 0 });
  assert.equal(describeStatus(status), "Rendering frame 5 of 25");
  assert.equal(outputPlaceholder(status, "GIF"), "The GIF appears here when all 25 frames are done.");
});

test("a thumbnail says what Render would do to its frame", () => {
  assert.equal(thumbTitle(3, false, false), "Frame 3");
  assert.match(thumbTitle(3, true, true), /^Frame 3: stale, the current settings re-render it/);
  assert.match(thumbTitle(3, false, true), /another picture \(in the cache already\)/);
});

test("the rendered bar's stale stretch covers rendered frames only", () => {
  const urls = [];
  for (const i of [0, 1, 2, 3, 5, 6]) urls[i] = `blob:${i}`;
  const marks = { has: (i) => i >= 2 && i <= 8 };
  assert.deepEqual(staleShown({ urls }, marks), [[2, 3], [5, 6]]);
});
