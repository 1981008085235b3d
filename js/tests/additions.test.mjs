// The "LoRA and arguments" section's pure parts: JSON argument boxes and the summary.
import { test } from "node:test";
import assert from "node:assert/strict";

import { additionsSummary, formatArguments, lineColumn, parseArguments } from "../src/pipeline-additions.js";

test("an arguments box takes a JSON object, and empty text is no arguments", () => {
  assert.deepEqual(parseArguments(""), { ok: true, value: {} });
  assert.deepEqual(parseArguments('  {"eta": 0.5,\n "image_guidance_scale": 1.5}'),
    { ok: true, value: { eta: 0.5, image_guidance_scale: 1.5 } });
  assert.equal(parseArguments("[1, 2]").ok, false);
  assert.match(parseArguments("[1, 2]").why, /must be a JSON object/);
  assert.match(parseArguments("0.5").why, /must be a JSON object/);
  assert.match(parseArguments("null").why, /must be a JSON object/);
});

test("a JSON mistake is shown with its line and column", () => {
  const bad = parseArguments('{\n  "eta": 0.5,\n  guidance_rescale: 0.7\n}');
  assert.equal(bad.ok, false);
  assert.match(bad.why, /^line 3, column 3: not valid JSON here/);
  assert.match(parseArguments('{"eta": ').why, /^line 1, column 9: the JSON ends too soon/);
  assert.deepEqual(lineColumn("ab\ncd", 4), { line: 2, column: 2 });
});

test("arguments show as indented JSON, none as an empty box", () => {
  assert.equal(formatArguments({}), "");
  assert.equal(formatArguments(undefined), "");
  assert.equal(formatArguments({ eta: 0.5 }), '{\n  "eta": 0.5\n}');
  assert.deepEqual(parseArguments(formatArguments({ a: [1, { b: null }] })).value, { a: [1, { b: null }] });
});

test("the summary names what is added", () => {
  assert.equal(additionsSummary({ loras: [], pipeline_kwargs: {}, scheduler_kwargs: {} }), "none");
  assert.equal(additionsSummary({ loras: [{ path: "a", weight: 1 }], pipeline_kwargs: { eta: 1 },
    scheduler_kwargs: { timestep_spacing: "leading" }, prompt_weighting: true }),
  "1 LoRA · 2 arguments · weighted prompts");
  assert.equal(additionsSummary({ custom_pipeline: "x", trust_remote_code: true }), "custom code (trusted)");
});
