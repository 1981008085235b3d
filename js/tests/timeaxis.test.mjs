import { test } from "node:test";
import assert from "node:assert/strict";

import {
  chooseStep, clampAxis, EDGE_PX, fitAxis, formatTime, frameTicks, frameToTime, frameToX, makeAxis, MAX_PX_PER_FRAME,
  MAX_TAIL_SHARE, panAxis, revealFrame, spanFrames, timeTicks, visibleFrames, xToFrame, xToNearestFrame,
  zoomAxis,
} from "../src/timeaxis.js";

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test("frame, pixel and time convert both ways", () => {
  const axis = makeAxis({ start: 10, pxPerFrame: 4, width: 400, length: 100 });
  assert.equal(frameToX(axis, 10), 0);
  assert.equal(frameToX(axis, 35), 100);
  assert.equal(xToFrame(axis, 100), 35);
  assert.equal(xToNearestFrame(axis, 101.9), 35);
  assert.equal(xToNearestFrame(axis, 102.1), 36);
  assert.equal(xToNearestFrame(makeAxis({ start: -3, pxPerFrame: 4, width: 100 }), 0), 0, "never below frame 0");
  assert.equal(frameToTime(25, 10), 2.5);
});

test("fit shows the whole span with the edge margins", () => {
  const axis = fitAxis(makeAxis({ width: 1000, length: 61 }));
  close(frameToX(axis, 0), EDGE_PX);
  close(frameToX(axis, spanFrames(axis)), 1000 - EDGE_PX);
  assert.ok(frameToX(axis, 60) < 1000 * 0.9, "room after the last keyframe to add one");
});

test("fit leaves the tail free after the last frame, within its share of the width", () => {
  const axis = fitAxis(makeAxis({ width: 1000, length: 21, tailPx: 250 }));
  assert.ok(1000 - EDGE_PX - frameToX(axis, 20) >= 250, `${frameToX(axis, 20)}`);
  const greedy = fitAxis(makeAxis({ width: 1000, length: 21, tailPx: 5000 }));
  close(frameToX(greedy, 21), EDGE_PX + (1000 - 2 * EDGE_PX) * (1 - MAX_TAIL_SHARE));
  const zoomedIn = panAxis(zoomAxis(axis, 4, 0), -1e9);
  assert.ok(zoomedIn.width - EDGE_PX - frameToX(zoomedIn, 21) >= 250 - 1e-6, "panning right reaches the tail");
});

test("fit of a tiny animation does not zoom past the limit", () => {
  const axis = fitAxis(makeAxis({ width: 1000, length: 1 }));
  assert.equal(axis.pxPerFrame, MAX_PX_PER_FRAME);
  close(frameToX(axis, 0), EDGE_PX);
});

test("zoom keeps the frame under the pointer in place", () => {
  const axis = fitAxis(makeAxis({ width: 800, length: 5000 }));
  const anchor = 300;
  const before = xToFrame(axis, anchor);
  const zoomed = zoomAxis(axis, 8, anchor);
  close(zoomed.pxPerFrame, axis.pxPerFrame * 8);
  close(xToFrame(zoomed, anchor), before, 1e-6);
});

test("zoom is limited both ways", () => {
  const axis = fitAxis(makeAxis({ width: 800, length: 5000 }));
  assert.equal(zoomAxis(axis, 1e9, 100).pxPerFrame, MAX_PX_PER_FRAME);
  assert.equal(zoomAxis(axis, 1e-9, 100).pxPerFrame, axis.pxPerFrame, "no further out than the whole span");
});

test("pan moves by pixels and stops at the ends", () => {
  const axis = zoomAxis(fitAxis(makeAxis({ width: 500, length: 1000 })), 10, 0);
  const panned = panAxis(axis, -100);
  close(panned.start, axis.start + 100 / axis.pxPerFrame);
  const left = panAxis(axis, 1e9);
  close(frameToX(left, 0), EDGE_PX);
  const right = panAxis(axis, -1e9);
  close(frameToX(right, spanFrames(right)), 500 - EDGE_PX);
});

test("clamp repairs an axis that a resize left out of range", () => {
  const axis = clampAxis({ start: 5000, pxPerFrame: 1000, width: 300, length: 100 });
  assert.equal(axis.pxPerFrame, MAX_PX_PER_FRAME);
  assert.ok(axis.start <= spanFrames(axis));
});

test("visible frames cover the view", () => {
  const axis = makeAxis({ start: 99.5, pxPerFrame: 10, width: 100, length: 1000 });
  assert.deepEqual(visibleFrames(axis), { first: 99, last: 110 });
  assert.deepEqual(visibleFrames(makeAxis({ start: -2, pxPerFrame: 10, width: 50 })), { first: 0, last: 3 });
});

test("revealFrame pans only when the frame is out of view", () => {
  const axis = makeAxis({ start: 0, pxPerFrame: 10, width: 200, length: 1000 });
  assert.equal(revealFrame(axis, 5), axis);
  const moved = revealFrame(axis, 100);
  const x = frameToX(moved, 100);
  assert.ok(x > 0 && x <= 200, `${x}`);
});

test("tick steps keep labels apart and scale with zoom", () => {
  assert.equal(chooseStep(10, 64, [1, 2, 5, 10]), 10);
  assert.equal(chooseStep(100, 64, [1, 2, 5, 10]), 1);
  assert.equal(chooseStep(0.001, 64, [1, 2, 5, 10]), 10, "the largest when none is enough");
  const zoomedOut = frameTicks(fitAxis(makeAxis({ width: 800, length: 10000 })));
  const zoomedIn = frameTicks(makeAxis({ start: 0, pxPerFrame: 40, width: 800, length: 10000 }));
  assert.ok(zoomedOut.step >= 500, `${zoomedOut.step}`);
  assert.equal(zoomedIn.step, 2);
  for (const { step, ticks } of [zoomedOut, zoomedIn]) {
    assert.ok(ticks.length >= 2 && ticks.length <= 20);
    for (const t of ticks) assert.equal(t % step, 0);
  }
});

test("time ticks are round seconds without float noise", () => {
  const axis = makeAxis({ start: 0, pxPerFrame: 20, width: 1000, length: 100 });
  const { step, ticks } = timeTicks(axis, 10);
  assert.equal(step, 0.5);
  assert.deepEqual(ticks.slice(0, 4), [0, 0.5, 1, 1.5]);
  const fine = timeTicks(makeAxis({ start: 0, pxPerFrame: 48, width: 600, length: 100 }), 30);
  for (const t of fine.ticks) assert.equal(t, Number(t.toFixed(3)));
});

test("times read naturally", () => {
  assert.equal(formatTime(2.5, 0.5), "2.5 s");
  assert.equal(formatTime(3, 1), "3 s");
  assert.equal(formatTime(0.25, 0.05), "0.25 s");
  assert.equal(formatTime(65), "1:05");
  assert.equal(formatTime(3723), "1:02:03");
  assert.equal(formatTime(-1), "0 s");
});
