import { test } from "node:test";
import assert from "node:assert/strict";

import { describeRun, parseRange } from "../src/run-extras.js";

test("a frame range is two whole frames of the animation, first before last", () => {
  assert.deepEqual(parseRange("2", " 5 ", 9), { ok: true, start: 2, end: 5 });
  assert.equal(parseRange("5", "4", 9).ok, false);
  assert.equal(parseRange("0", "9", 9).why, "frames 0 to 8, first ≤ last");
  assert.equal(parseRange("1.5", "3", 9).why, "whole frame numbers");
  assert.equal(parseRange("", "3", 9).why, "whole frame numbers", "an empty box is no frame");
});

test("a run of the history in one line", () => {
  assert.equal(describeRun({ kind: "draft", frames: 3, rendered: 3, reused: 0, settings: { seed: 42 } }),
    "draft · 3 frames · 3 rendered, 0 from cache · seed 42");
  assert.equal(describeRun({ kind: "range", frames: 1, rendered: 0, reused: 1, settings: {} }),
    "range · 1 frame · 0 rendered, 1 from cache");
});
