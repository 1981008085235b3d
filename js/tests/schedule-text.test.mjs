// The lanes' schedule text against every case Python produced (tests/fixtures/schedule_cases.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { columnToIndex, formatNumber, indexToColumn, numericPoints, pointsText, previewValues, scheduledValue }
  from "../src/schedule-text.js";

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../tests/fixtures/schedule_cases.json", import.meta.url)), "utf8"));

const close = (a, b, label) => {
  assert.equal(a.length, b.length, label);
  for (const [i, v] of a.entries()) {
    assert.ok(Math.abs(v - b[i]) <= 1e-12 * Math.max(1, Math.abs(b[i])), `${label} frame ${i}`);
  }
};

test("pointsText writes what Python's points_text writes, and reads back", () => {
  assert.ok(fixture.format.length >= 4);
  for (const c of fixture.format) {
    assert.equal(pointsText(c.points), c.text);
    assert.deepEqual(numericPoints(c.text), [...c.points].sort((a, b) => a[0] - b[0]));
  }
});

test("formatNumber never writes an exponent and reads back exactly", () => {
  for (const v of [1e-7, 2.5e-3, 1e21, 1.5e22, -3.25e-10, 123456789.125, 0.1, -0.5, 5e-324, 1.7976931348623157e308]) {
    const text = formatNumber(v);
    assert.ok(!/e/i.test(text), text);
    assert.equal(Number(text), v, text);
  }
  assert.equal(formatNumber(-0), "-0");
  assert.equal(formatNumber(1), "1");
  assert.throws(() => formatNumber(Number.NaN), RangeError);
  assert.throws(() => pointsText([]), RangeError);
  assert.throws(() => pointsText([[1, 1], [1, 2]]), RangeError);
  assert.throws(() => pointsText([[0.5, 1]]), RangeError);
});

test("numericPoints gives Python's schedule_points wherever it gives points at all", () => {
  let given = 0;
  for (const c of fixture.points) {
    const points = numericPoints(c.text);
    if (points === null) continue;
    given += 1;
    assert.deepEqual(points, c.points, c.text);
  }
  assert.ok(given >= 4, `${given} of ${fixture.points.length}`); // the number-only texts
});

test("numericPoints refuses every text Python refuses", () => {
  const failing = fixture.evaluate.filter((c) => c.error);
  assert.ok(failing.length > 40);
  for (const c of failing) assert.equal(numericPoints(c.text), null, JSON.stringify(c.text));
  for (const text of ["0:(1", "0:1)", "0:(1), 0:(2)", "0:(1e999)", "(1", "0:(1, 2)", "'5\":(1)"]) {
    assert.equal(numericPoints(text), null, text);
  }
});

test("the preview of number keys is the kernel's curve for linear interpolation", () => {
  let compared = 0;
  for (const c of fixture.evaluate) {
    const points = numericPoints(c.text);
    if (c.error || points === null || c.interpolation !== "linear") continue;
    compared += 1;
    close(previewValues(points, c.num_frames), c.values, c.text);
  }
  assert.ok(compared >= 10, `${compared} cases`);
});

test("the kernel's columns (code points) find the same character in a JS string", () => {
  const withColumns = fixture.evaluate.filter((c) => c.error?.column);
  const astral = withColumns.filter((c) => [...c.text].length !== c.text.length);
  assert.ok(astral.length >= 1, "a case with a character outside the BMP before its error");
  for (const c of withColumns) {
    const index = columnToIndex(c.text, c.error.column);
    assert.equal(text(c.text, index), [...c.text][c.error.column - 1] ?? "", JSON.stringify(c.text));
    assert.equal(indexToColumn(c.text, index), c.error.column);
  }
  const c = astral.find((x) => x.text.includes("(x)"));
  assert.equal(c.text[columnToIndex(c.text, c.error.column)], "x");
});

const text = (s, index) => (index < s.length ? String.fromCodePoint(s.codePointAt(index)) : "");

test("a typed plain number is stored as a number, anything else as text for the kernel", () => {
  assert.equal(scheduledValue(" 1.5 "), 1.5);
  assert.equal(scheduledValue("-2e-3"), -0.002);
  assert.equal(scheduledValue("0:(1), 10:(2)"), "0:(1), 10:(2)");
  assert.equal(scheduledValue("1e999"), "1e999", "not finite: the kernel says why");
  assert.equal(scheduledValue("0x10"), "0x10");
  assert.equal(scheduledValue(""), "");
});

test("points -> text -> points is exact for many random points", () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648; // a fixed sequence, so a failure can be replayed
    return seed / 2147483648;
  };
  const magnitudes = [1e-12, 1e-7, 1e-3, 1, 1e3, 1e9, 1e20, 1e25];
  for (let run = 0; run < 500; run += 1) {
    const frames = new Set();
    const count = 1 + Math.floor(random() * 6);
    while (frames.size < count) frames.add(Math.floor(random() * 1000));
    const points = [...frames].map((f) => [f, (random() - 0.5) * magnitudes[Math.floor(random() * magnitudes.length)]]);
    const text = pointsText(points);
    assert.deepEqual(numericPoints(text), [...points].sort((a, b) => a[0] - b[0]), text);
    assert.ok(!/e/i.test(text), text);
  }
});
