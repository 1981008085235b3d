import { test } from "node:test";
import assert from "node:assert/strict";

import {
  addKeyframe, findKeyframe, inheritedPrompt, isFree, lowerBound, moveKeyframe, nearestKeyframe, removeKeyframe,
  sameKeyframes, updateKeyframe,
} from "../src/keyframes.js";

const kf = (frame, prompt = `p${frame}`, extra = {}) => ({ frame, prompt, negative: null, seed: null, ...extra });
const frames = (ks) => ks.map((k) => k.frame);
const base = Object.freeze([kf(0, "corgi"), kf(30, "lion", { seed: 3 }), kf(60, "tiger")].map(Object.freeze));

test("add keeps the order and inherits the previous prompt", () => {
  const next = addKeyframe(base, 45);
  assert.notEqual(next, base);
  assert.deepEqual(frames(next), [0, 30, 45, 60]);
  assert.deepEqual(findKeyframe(next, 45), kf(45, "lion"));
  assert.equal(addKeyframe([], 5).at(0).prompt, "a red circle on a white background");
  assert.equal(inheritedPrompt([kf(10, "x")], 2), "x", "before the first keyframe: the first one's prompt");
  assert.deepEqual(findKeyframe(addKeyframe(base, 90, { prompt: "owl", seed: 9 }), 90), kf(90, "owl", { seed: 9 }));
});

test("add onto an occupied or impossible frame is refused", () => {
  assert.equal(addKeyframe(base, 30), base);
  assert.equal(addKeyframe(base, -1), base);
  assert.equal(addKeyframe(base, 2.5), base);
});

test("move changes the frame and keeps the rest", () => {
  const next = moveKeyframe(base, 30, 10);
  assert.deepEqual(frames(next), [0, 10, 60]);
  assert.deepEqual(findKeyframe(next, 10), kf(10, "lion", { seed: 3 }));
  assert.deepEqual(frames(moveKeyframe(base, 0, 100)), [30, 60, 100]);
  assert.deepEqual(frames(base), [0, 30, 60], "the argument is untouched");
});

test("move onto an occupied frame, below 0 or from nowhere is refused", () => {
  assert.equal(moveKeyframe(base, 30, 60), base);
  assert.equal(moveKeyframe(base, 30, -5), base);
  assert.equal(moveKeyframe(base, 31, 40), base);
  assert.equal(moveKeyframe(base, 30, 30), base);
});

test("remove drops one keyframe", () => {
  assert.deepEqual(frames(removeKeyframe(base, 30)), [0, 60]);
  assert.equal(removeKeyframe(base, 31), base);
});

test("update edits fields and moves with the same rule", () => {
  const next = updateKeyframe(base, 30, { prompt: "leopard", negative: "blur" });
  assert.deepEqual(findKeyframe(next, 30), kf(30, "leopard", { negative: "blur", seed: 3 }));
  const moved = updateKeyframe(base, 30, { frame: 40, prompt: "puma" });
  assert.deepEqual(findKeyframe(moved, 40), kf(40, "puma", { seed: 3 }));
  assert.equal(updateKeyframe(base, 30, { frame: 60, prompt: "x" }), base, "refused as a whole");
  assert.equal(updateKeyframe(base, 7, { prompt: "x" }), base);
});

test("helpers for hit testing and drawing", () => {
  assert.equal(isFree(base, 1), true);
  assert.equal(isFree(base, 0), false);
  assert.equal(nearestKeyframe(base, 28, 3).frame, 30);
  assert.equal(nearestKeyframe(base, 25, 3), null);
  assert.equal(nearestKeyframe(base, 45, 20).frame, 30, "ties go to the first");
  assert.equal(lowerBound(base, -1), 0);
  assert.equal(lowerBound(base, 30), 1);
  assert.equal(lowerBound(base, 31), 2);
  assert.equal(lowerBound(base, 999), 3);
  assert.equal(sameKeyframes(base, base.map((k) => ({ ...k }))), true);
  assert.equal(sameKeyframes(base, updateKeyframe(base, 0, { seed: 1 })), false);
  assert.equal(sameKeyframes([kf(0)], [{ frame: 0, prompt: "p0" }]), true, "missing and null are the same");
});
