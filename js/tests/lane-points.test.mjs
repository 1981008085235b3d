// Points of a schedule lane: edits, the range drawn, rounding of dragged values.
import { test } from "node:test";
import assert from "node:assert/strict";

import { addPoint, movePoint, pointsValue, removePoint, roundValue, valuePoints, valueRange, valueTicks }
  from "../src/lane-points.js";
import { pointsText } from "../src/schedule-text.js";

test("a number is one point on frame 0; number keys are read here; expressions take the kernel's points", () => {
  assert.deepEqual(valuePoints(1.5), [[0, 1.5]]);
  assert.deepEqual(valuePoints("10:(2), 0:(1)"), [[0, 1], [10, 2]]);
  assert.equal(valuePoints("0:(sin(t))", null), null);
  assert.deepEqual(valuePoints("0:(1/4)", [[0, 0.25]]), [[0, 0.25]]);
});

test("edits return new arrays in frame order; refused edits return the argument itself", () => {
  const points = [[0, 1], [10, 2]];
  assert.deepEqual(addPoint(points, 5, 3), [[0, 1], [5, 3], [10, 2]]);
  assert.equal(addPoint(points, 10, 3), points);
  assert.equal(addPoint(points, -1, 3), points);
  assert.deepEqual(movePoint(points, 10, 20, 4), [[0, 1], [20, 4]]);
  assert.deepEqual(movePoint(points, 10, 10, 4), [[0, 1], [10, 4]]);
  assert.deepEqual(movePoint(points, 0, 15, 1), [[10, 2], [15, 1]]);
  assert.equal(movePoint(points, 10, 0, 4), points, "onto another point");
  assert.equal(movePoint(points, 3, 4, 4), points, "no point there");
  assert.deepEqual(removePoint(points, 0), [[10, 2]]);
  assert.equal(removePoint(points, 4), points);
  assert.deepEqual(points, [[0, 1], [10, 2]], "unchanged");
});

test("the last point stays", () => {
  const one = [[3, 1]];
  assert.equal(removePoint(one, 3), one);
});

test("a lone point on frame 0 is stored as a number, others as text", () => {
  assert.equal(pointsValue([[0, 1.25]], pointsText), 1.25);
  assert.equal(pointsValue([[5, 1.25]], pointsText), "5:(1.25)");
  assert.equal(pointsValue([[0, 1], [30, 1.05]], pointsText), "0:(1), 30:(1.05)");
});

test("the range covers the setting's own span and every value, with a margin", () => {
  const [lo, hi] = valueRange([1, 1, 1], "zoom");
  assert.ok(lo < 0.98 && hi > 1.02 && hi - lo < 0.06, `${lo} ${hi}`);
  const [lo2, hi2] = valueRange([0, 30, -5], "angle");
  assert.ok(lo2 < -5 && hi2 > 30);
  const [lo3, hi3] = valueRange([], "unknown");
  assert.ok(lo3 < 0 && hi3 > 1);
});

test("dragged values are rounded to the power of ten nearest a 50th of the range, with no float noise", () => {
  assert.equal(roundValue(1.0123456, [0.97, 1.03]), 1.012);
  assert.equal(roundValue(0.30000000000000004, [0, 1]), 0.3);
  assert.equal(roundValue(0.123, [0, 1]), 0.12);
  assert.equal(roundValue(0.99012, [0.9736, 1.0264]), 0.99, "zoom's lane: steps of 0.001");
  assert.equal(roundValue(12.3456, [-40, 40]), 12);
  assert.equal(roundValue(12.3456, [-4, 4]), 12.3);
  assert.equal(String(roundValue(1.0049999, [0.97, 1.03])), "1.005");
  assert.equal(String(roundValue(1.0051, [0.97, 1.03])), "1.005");
});

test("grid values are round numbers inside the range", () => {
  assert.deepEqual(valueTicks([-4.64, 4.64]), [-4, -2, 0, 2, 4]);
  assert.deepEqual(valueTicks([-0.08, 1.08]), [0, 0.5, 1]);
  assert.deepEqual(valueTicks([0.975, 1.043]), [0.98, 1, 1.02, 1.04]);
  assert.deepEqual(valueTicks([1, 1]), []);
  for (const range of [[0, 1e-9], [-1e6, 3e6], [0.1, 0.3]]) {
    const ticks = valueTicks(range);
    assert.ok(ticks.length >= 1 && ticks.length <= 5, `${range}: ${ticks}`);
    assert.ok(ticks.every((t) => t >= range[0] && t <= range[1]), `${range}: ${ticks}`);
  }
});
