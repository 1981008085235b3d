// The built bundle in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) against a fake kernel: no
// runtime errors, frames shown from Blob URLs, timeline edits reach the model, nothing spills out of the panel.
// Skipped where there is no Chromium; the JupyterLab browser tests live with the Python suite.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { chromium, haveChromium, readReport, serve } from "./browser/chromium.mjs";

const skip = haveChromium() ? false : "no Chromium at /usr/bin/chromium (set CHROMIUM to use another)";
let server;
before(async () => {
  if (!skip) server = await serve();
});
after(async () => server?.close());

async function run(query, options) {
  const { dom } = await chromium(`${server.base}/js/tests/browser/harness.html?${query}`, options);
  const report = readReport(dom);
  assert.ok(report?.done, `the harness did not finish: ${dom.slice(0, 500)}`);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.facts.overflowing, []);
  return report.facts;
}

test("studio renders, streams frames and keeps edits", { skip }, async () => {
  const facts = await run("widget=studio&scenario=audio-render-select-open");
  assert.equal(facts.cleanupIsFunction, true);
  assert.equal(facts.frameSrcIsBlob, true);
  assert.ok(facts.thumbs > 0);
  assert.equal(facts.waveVisible, true);
  assert.equal(facts.editorPrompt, "the lighthouse in a storm, dramatic waves");
  assert.deepEqual(facts.keyframesAfterAdd, [0, 24, 44, 60]);
  assert.match(facts.status, /^Finished: 61 frames/);
});

test("edits still being typed reach the kernel before a render", { skip }, async () => {
  const facts = await run("widget=studio&scenario=select-flush");
  assert.ok(facts.renderedPrompts?.includes("typed just before rendering"), JSON.stringify(facts.renderedPrompts));
});

test("a syntax error is shown and the keyframes are kept", { skip }, async () => {
  const facts = await run("widget=studio&scenario=typo");
  assert.equal(facts.textStatus, "line 2, column 4: missing ':' after the frame number");
  assert.equal(facts.keyframesKept, 3);
  assert.equal(facts.waveVisible, false);
});

test("the studio fits a narrow notebook in the dark", { skip }, async () => {
  const facts = await run("widget=studio&scenario=audio-render-midway-error-open&width=480&dark=1",
    { width: 560 });
  assert.equal(facts.scrollWidth, facts.width);
  assert.match(facts.status, /Rendering frame 38 of 61 · 7 from cache · about 10 s left/);
  // Problems are data: the field they name is marked; one no field shows is listed under the error line.
  assert.deepEqual(facts.markedFields, ["fps"]);
  assert.deepEqual(facts.listedProblems, ["keyframes"]);
});

test("counts are the run's even when an edit makes the project longer", { skip }, async () => {
  const facts = await run("widget=studio&scenario=render-grow");
  assert.match(facts.position, /61 of 61 frames rendered$/);
  assert.equal(facts.scrubTotal, "91", "the scrub range still covers the project");
  assert.match(facts.status, /^Finished: 61 frames/);
});

for (const widget of ["timeline", "waveform", "scrubber"]) {
  test(`${widget} alone`, { skip }, async () => {
    const facts = await run(`widget=${widget}&scenario=audio-render-select`);
    assert.equal(facts.cleanupIsFunction, true);
  });
}
