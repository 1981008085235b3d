// The JS grammar against every case the Python parser produced (tests/fixtures/grammar_cases.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { formatPrompts, parsePrompts, PromptSyntaxError, quote, splitLines, tryParsePrompts } from "../src/grammar.js";

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../tests/fixtures/grammar_cases.json", import.meta.url)), "utf8"));

test("the fixture holds valid and failing cases", () => {
  const failing = fixture.parse.filter((c) => c.error).length;
  assert.ok(failing > 50, `${failing} failing cases`);
  assert.ok(fixture.parse.length - failing > 50);
  assert.ok(fixture.format.length > 5);
});

test("parsePrompts agrees with Python on every case", () => {
  for (const c of fixture.parse) {
    const label = JSON.stringify(c.text);
    if (c.error) {
      assert.throws(() => parsePrompts(c.text), (err) => {
        assert.ok(err instanceof PromptSyntaxError, label);
        assert.deepEqual(
          { line: err.line, column: err.column, reason: err.reason, message: err.message }, c.error, label);
        return true;
      }, label);
    } else {
      assert.deepEqual(parsePrompts(c.text), c.keyframes, label);
    }
  }
});

test("formatPrompts agrees with Python and parses back", () => {
  for (const c of fixture.format) {
    assert.equal(formatPrompts(c.keyframes), c.text);
    const sorted = [...c.keyframes].sort((a, b) => a.frame - b.frame);
    const back = parsePrompts(c.text);
    assert.equal(back.length, sorted.length);
    back.forEach((k, i) => {
      assert.equal(k.frame, sorted[i].frame);
      assert.equal(k.prompt, sorted[i].prompt);
      assert.equal(k.seed, sorted[i].seed);
    });
  }
});

test("valid cases survive format then parse unchanged", () => {
  for (const c of fixture.parse.filter((x) => !x.error)) {
    assert.deepEqual(parsePrompts(formatPrompts(c.keyframes)), c.keyframes, JSON.stringify(c.text));
  }
});

test("formatPrompts does not reorder its argument", () => {
  const ks = [{ frame: 9, prompt: "b", negative: null, seed: null }, { frame: 1, prompt: "a", negative: null, seed: null }];
  assert.equal(formatPrompts(ks), "1: a\n9: b\n");
  assert.equal(ks[0].frame, 9);
});

test("tryParsePrompts reports instead of throwing", () => {
  assert.deepEqual(tryParsePrompts("0: a").keyframes, [{ frame: 0, prompt: "a", negative: null, seed: null }]);
  const { keyframes, error } = tryParsePrompts("0: a\n5 b");
  assert.equal(keyframes, null);
  assert.deepEqual(error, { line: 2, column: 3, reason: "missing ':' after the frame number",
    message: "line 2, column 3: missing ':' after the frame number" });
});

test("quote shows what does not show", () => {
  assert.equal(quote("abc"), '"abc"');
  assert.equal(quote('say "hi" \\'), '"say \\"hi\\" \\\\"');
  assert.equal(quote("a\u200bb\tc d"), '"a\\u{200b}b\\u{9}c d"');
  assert.equal(quote("\u{e0001}"), '"\\u{e0001}"');
});

test("lines end only at \\n, \\r\\n and \\r, after a leading byte-order mark", () => {
  assert.deepEqual(splitLines("\ufeffa\r\nb\rc\nd\x0be\u2028f\x85g"), ["a", "b", "c", "d\x0be\u2028f\x85g"]);
  assert.deepEqual(splitLines(""), []);
  assert.deepEqual(splitLines("a\n\n"), ["a", ""]);
});
