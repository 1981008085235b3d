// Small pure helpers of the components: status and pipeline words, error positions, the filmstrip's window, peak
// ranges, the bus.
import { test } from "node:test";
import assert from "node:assert/strict";

import { createBus } from "../src/bus.js";
import { errorRange } from "../src/prompt-text.js";
import { revealScroll, sortedIndexOf, visibleRange } from "../src/filmstrip.js";
import { describePipeline, deviceWords } from "../src/pipeline-words.js";
import { describeStatus, downloadName, formatEta, outputPlaceholder } from "../src/studio.js";
import { schedulerChoices } from "../src/settings.js";
import { onsetMarks, problemsOf, terms } from "../src/model.js";
import { columnRange } from "../src/waveform.js";
import { contentLength } from "../src/axisview.js";

test("time left in words", () => {
  assert.equal(formatEta(null), "");
  assert.equal(formatEta(0.4), "almost done");
  assert.equal(formatEta(12.2), "about 13 s left");
  assert.equal(formatEta(150), "about 3 min left");
  assert.equal(formatEta(7200), "about 2.0 h left");
});

test("status words for each state", () => {
  assert.match(describeStatus({ state: "idle" }), /press Render/);
  assert.equal(describeStatus({ state: "rendering", done: 9, total: 60, eta: 20, reused: 4 }),
    "Rendering frame 10 of 60 · 4 from cache · about 20 s left");
  assert.equal(describeStatus({ state: "rendering", done: 2, total: 9, step: 2, steps: 3, eta: 4, message: "Cancelling" }),
    "Rendering frame 3 of 9 · step 2/3 · about 4 s left · Cancelling");
  assert.equal(describeStatus({ state: "cancelled", done: 12, total: 60 }),
    "Cancelled after 12 of 60 frames; finished frames are kept.");
  assert.equal(describeStatus({ state: "failed", message: "out of memory" }), "Failed: out of memory");
  assert.equal(describeStatus({ state: "finished", total: 60, rendered: 50, reused: 10 }),
    "Finished: 60 frames (50 rendered · 10 from cache)");
});

test("the animation column says what will come while there is no video", () => {
  assert.equal(outputPlaceholder({ state: "idle" }), "The finished GIF appears here after a render.");
  assert.equal(outputPlaceholder({ state: "rendering", total: 21 }, "MP4"),
    "The MP4 appears here when all 21 frames are done.");
  assert.match(outputPlaceholder({ state: "cancelled", done: 3, total: 21 }), /^This run was cancelled, so it has no GIF/);
  assert.equal(outputPlaceholder({ state: "failed" }), "No GIF: the render failed.");
});

test("the pipeline in plain words, the details for a tooltip", () => {
  const embedded = { state: "ready", checkpoint: "giffusion-widgets/tiny-sd-v1", pipeline_class: "StableDiffusionPipeline",
    message: "cpu · float32", accepts: ["prompt_embeds", "latents"], device: "cpu", dtype: "float32", builtin: true };
  assert.deepEqual(describePipeline(embedded), {
    line: "Embedded model (offline, trained on shapes) · CPU",
    details: "StableDiffusionPipeline · giffusion-widgets/tiny-sd-v1 · cpu · float32 · accepts prompt_embeds, latents",
  });
  const { builtin, device, dtype, ...older } = embedded;
  assert.equal(describePipeline(older).line, "Embedded model (offline, trained on shapes) · CPU");
  assert.equal(describePipeline({ ...embedded, checkpoint: "stabilityai/sd-turbo", builtin: false, device: "cuda:0" }).line,
    "stabilityai/sd-turbo · GPU");
  assert.equal(describePipeline({ state: "unloaded" }, { checkpoint: null }).line,
    "Embedded model (offline, trained on shapes) · loads on the first render");
  assert.equal(describePipeline({ state: "loading", checkpoint: "my/model" }).line, "Loading my/model…");
  assert.match(describePipeline({ state: "failed", checkpoint: "my/model", message: "offline" }).line,
    /^Could not load my\/model: offline$/);
  assert.deepEqual(["cpu", "cuda", "cuda:1", "mps", "xpu"].map(deviceWords), ["CPU", "GPU", "GPU 1", "Apple GPU", "xpu"]);
});

test("an error's line and column select the rest of that line", () => {
  const text = "0: a\n5 b c\n";
  assert.deepEqual(errorRange(text, { line: 2, column: 3 }), [7, 10]);
  assert.deepEqual(errorRange("0: \u{1F436}x | q", { line: 1, column: 6 }), [6, 10], "columns count code points");
});

test("the filmstrip makes only the thumbnails in view, and scrolls the least to show one", () => {
  assert.deepEqual(visibleRange(0, 300, 62, 100, 0), [0, 5]);
  assert.deepEqual(visibleRange(620, 300, 62, 100, 2), [8, 17]);
  assert.deepEqual(visibleRange(6000, 300, 62, 100, 2), [94, 100]);
  assert.deepEqual(visibleRange(0, 300, 62, 0), [0, 0]);
  assert.equal(revealScroll(0, 300, 100, 56), 0, "already in view");
  assert.equal(revealScroll(0, 300, 400, 56), 162, "to the right: its right edge comes into view");
  assert.equal(revealScroll(500, 300, 100, 56), 94, "to the left: its left edge");
  assert.equal(sortedIndexOf([0, 1, 4, 9], 4), 2);
  assert.equal(sortedIndexOf([0, 1, 4, 9], 5), -1);
});

test("peak columns reduce to min and max", () => {
  const peaks = { min: [-0.1, -0.5, -0.2], max: [0.2, 0.4, 0.9] };
  assert.deepEqual(columnRange(peaks, 0, 2), [-0.5, 0.4]);
  assert.deepEqual(columnRange(peaks, 2, 10), [-0.2, 0.9]);
  assert.equal(columnRange(peaks, 5, 6), null);
});

test("the axis spans keyframes, audio and rendered frames", () => {
  const bus = createBus();
  const project = { keyframes: [{ frame: 0 }, { frame: 60 }] };
  assert.equal(contentLength(project, bus), 61);
  bus.set("audioFrames", 80);
  assert.equal(contentLength(project, bus), 80);
  assert.equal(contentLength(project, bus, 120), 120);
  assert.equal(contentLength(null, createBus()), 1);
});

test("the bus tells listeners of changes only", () => {
  const bus = createBus();
  const seen = [];
  const off = bus.on("frame", (f) => seen.push(f));
  bus.set("frame", 3);
  bus.set("frame", 3);
  bus.set("frame", 4);
  off();
  bus.set("frame", 5);
  assert.deepEqual(seen, [3, 4]);
  assert.equal(bus.state.frame, 5);
});

/** A model as anywidget gives it to the components: get/on/off over a plain state. */
function fakeModel(state) {
  return { get: (name) => state[name], on() {}, off() {} };
}

test("status words say why Render cannot start, and no finished batch's step count", () => {
  assert.equal(describeStatus({ state: "idle" }, [{ field: "fps", message: "fps must be at least 1, got 0" }]),
    "Render cannot start: one setting needs fixing (marked in the panel).");
  assert.equal(describeStatus({ state: "idle" }, [{ field: "fps", message: "a" }, { field: "seed", message: "b" }]),
    "Render cannot start: 2 settings need fixing (marked in the panel).");
  assert.equal(describeStatus({ state: "rendering", done: 4, total: 9, step: 3, steps: 3 }), "Rendering frame 5 of 9");
});

test("downloads are named after their run", () => {
  assert.equal(downloadName("/home/me/runs/20261202-101500-a1b2", "gif"), "giffusion-20261202-101500-a1b2.gif");
  assert.equal(downloadName("C:\\runs\\20261202-101500-a1b2", "mp4"), "giffusion-20261202-101500-a1b2.mp4");
  assert.equal(downloadName(undefined, "gif"), "animation.gif");
});

test("the panel offers the schedulers the loaded pipeline accepts, all the kernel knows before", () => {
  const vocabulary = { schedulers: [{ value: "DDIMScheduler", label: "DDIM" }, { value: "LCMScheduler", label: "LCM" }] };
  assert.deepEqual(schedulerChoices(vocabulary, { state: "unloaded" }).map((t) => t.value),
    ["DDIMScheduler", "LCMScheduler"]);
  assert.deepEqual(schedulerChoices(vocabulary, { state: "ready", schedulers: ["DDIMScheduler"] }).map((t) => t.value),
    ["DDIMScheduler"]);
  assert.deepEqual(schedulerChoices({}, { state: "ready", schedulers: [] }), []);
});

test("vocabulary, problems and onset frames are read as the kernel sent them", () => {
  const model = fakeModel({
    vocabulary: { easings: [{ value: "linear", label: "linear", hint: "" }] },
    problems: [{ field: "fps", message: "fps must be at least 1, got 0" }, { field: "seed", message: "x" }],
    project: { fps: 10, audio_component: "percussive" },
    // 0.25 s at 10 fps: the kernel says frame 2 (half to even, as audio keyframes land); the panel never rounds.
    onsets: { fps: 10, percussive: { times: [0.25, 1.05], frames: [2, 10] } },
  });
  assert.deepEqual(terms(model, "easings").map((t) => t.value), ["linear"]);
  assert.deepEqual(terms(model, "schedulers"), []);
  assert.deepEqual(problemsOf(model, "fps").map((p) => p.message), ["fps must be at least 1, got 0"]);
  assert.deepEqual(onsetMarks(model, "percussive"), [{ time: 0.25, frame: 2 }, { time: 1.05, frame: 10 }]);
  assert.deepEqual(onsetMarks(model, "harmonic"), []);
  const stale = fakeModel({ project: { fps: 12 }, onsets: { fps: 10, percussive: { times: [0.25], frames: [2] } } });
  assert.deepEqual(onsetMarks(stale, "percussive"), [], "frames for another fps are not used");
});
