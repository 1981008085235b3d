// Loads one built widget into the page with a fake model, plays a scenario, and writes a JSON report into
// #report (errors caught, DOM facts) that the smoke test reads with --dump-dom.
import { defaultProject, fakeOnsets, fakePeaks, fakeWav, FakeKernel, FakeModel } from "./fake-kernel.js";

const params = new URLSearchParams(location.search);
const widget = params.get("widget") ?? "studio";
const scenario = params.get("scenario") ?? "idle";
const report = { widget, scenario, errors: [], facts: {} };
const write = () => { document.getElementById("report").textContent = JSON.stringify(report); };
window.addEventListener("error", (e) => { report.errors.push(String(e.error?.stack ?? e.message)); write(); });
window.addEventListener("unhandledrejection", (e) => { report.errors.push(String(e.reason?.stack ?? e.reason)); write(); });
if (params.get("dark")) document.body.classList.add("dark");
if (params.get("width")) document.documentElement.style.setProperty("--harness-width", `${params.get("width")}px`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const withAudio = scenario.includes("audio");
// The vocabulary as the kernel sends it (tests/test_widgets.py keeps this copy equal to vocabulary.for_panel()).
const vocabulary = await (await fetch("/js/tests/fixtures/vocabulary.json")).json();
const peaks = withAudio || widget === "waveform" ? fakePeaks(8) : {};
const model = new FakeModel({
  vocabulary, problems: [], onsets: peaks.onsets ? fakeOnsets(peaks.onsets, 10) : {},
  project: defaultProject(withAudio ? { audio_input: "beat.wav" } : {}),
  frame: 0, frame_count: 0, run_id: "", error: "",
  status: { state: "idle", message: "", done: 0, total: 0, eta: null },
  pipeline_info: { state: "ready", checkpoint: "", pipeline_class: "StableDiffusionPipeline", message: "embedded",
    accepts: ["prompt_embeds", "latents"] },
  peaks: withAudio ? peaks : {},
  audio: withAudio ? fakeWav(1) : new DataView(new ArrayBuffer(0)), audio_mime: "audio/wav",
  media: { image: null, video: null, audio: withAudio ? { name: "beat.wav", duration: 8 } : null },
  image_preview: new DataView(new ArrayBuffer(0)), output: new DataView(new ArrayBuffer(0)), output_mime: "",
  log_to_comet: false,
});
if (widget === "waveform" && !withAudio) model.set("peaks", peaks);
const kernel = new FakeKernel(model, { frameDelay: 0 });

try {
  const mod = await import(`/giffusion_widgets/static/${widget}.js`);
  const el = document.getElementById("out");
  const cleanup = await mod.default.render({ model, el });
  report.facts.cleanupIsFunction = typeof cleanup === "function";
  await sleep(50);

  const q = (sel) => el.querySelector(sel);
  const qa = (sel) => [...el.querySelectorAll(sel)];
  const click = (node) => node.dispatchEvent(new MouseEvent("click", { bubbles: true }));

  if (scenario.includes("render")) {
    const cancelAt = scenario.includes("cancel") ? 37 : null;
    await kernel.render(null, cancelAt);
    if (cancelAt) model.set("status", { state: "cancelled", done: cancelAt, total: 61, message: "" });
    report.facts.frameSrcIsBlob = (q(".gw-frame-img")?.src ?? "").startsWith("blob:");
  }
  if (scenario.includes("grow")) {
    // An edit during or after a run makes the project longer than the run: counts stay the run's.
    const project = structuredClone(model.get("project"));
    project.keyframes.push({ frame: 90, prompt: "one more", negative: null, seed: null });
    model.set("project", project);
    await sleep(30);
    report.facts.position = q(".gw-scrubber .gw-position")?.textContent ?? null;
    report.facts.scrubTotal = q(".gw-scrubber")?.dataset.total ?? null;
  }
  if (scenario.includes("midway")) {
    model.set("status", { state: "rendering", message: "", done: 37, total: 61, eta: 9.6, rendered: 30, reused: 7 });
    model.set("output", new DataView(new ArrayBuffer(0)));
  }
  if (scenario.includes("select") && q(".gw-timeline-canvas canvas")) {
    // Select the second keyframe through the timeline's own handlers, as a user would.
    const canvas = q(".gw-timeline-canvas canvas");
    const rect = canvas.getBoundingClientRect();
    // The canvas says where its frames are (timeline.js exposeAxis).
    const axisX = (frame) => rect.left + Number(canvas.dataset.originX) + frame * Number(canvas.dataset.pxPerFrame);
    const opts = { bubbles: true, clientX: axisX(24), clientY: rect.top + 50, button: 0, pointerId: 1 };
    canvas.dispatchEvent(new PointerEvent("pointerdown", opts));
    canvas.dispatchEvent(new PointerEvent("pointerup", opts));
    await sleep(30);
    report.facts.editorPrompt = q(".gw-kf-form textarea")?.value ?? null;
    // Double-click empty space near frame 44 adds a keyframe there.
    const dbl = { bubbles: true, clientX: axisX(44), clientY: rect.top + 50 };
    canvas.dispatchEvent(new MouseEvent("dblclick", dbl));
    await sleep(30);
    report.facts.keyframesAfterAdd = model.get("project").keyframes.map((k) => k.frame);
  }
  if (scenario.includes("flush")) {
    // Typing then pressing Render at once: the edit must reach the kernel before the render message.
    const prompt = q(".gw-kf-form textarea");
    prompt.value = "typed just before rendering";
    prompt.dispatchEvent(new Event("input", { bubbles: true }));
    click(q(".gw-header .gw-primary"));
    await sleep(300);
    report.facts.renderedPrompts = kernel.renderedPrompts ?? null;
  }
  if (scenario.includes("typo")) {
    const area = q(".gw-prompt-text textarea");
    area.value = "0: a lighthouse\n12 a storm\n60: aurora\n";
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.dispatchEvent(new Event("blur"));
    await sleep(400);
    report.facts.textStatus = q(".gw-text-status")?.textContent;
    report.facts.keyframesKept = model.get("project").keyframes.length;
  }
  if (scenario.includes("error")) {
    model.set("error", "The panel's settings were not applied: fix the marked fields.");
    model.set("problems", [{ field: "fps", message: "fps must be at least 1, got 0" },
      { field: "keyframes", message: "two keyframes share frame 0" }]);
    await sleep(20);
    report.facts.markedFields = qa("[data-field][data-problem='true']").map((n) => n.dataset.field);
    report.facts.listedProblems = qa(".gw-problems li").map((n) => n.dataset.fieldProblem);
  }
  if (scenario.includes("notice")) kernel.notice("Saved project.json");
  if (scenario.includes("open")) qa("details.gw-section").forEach((d) => { d.open = true; });
  await sleep(100);
  report.facts.sent = model.sent.map((s) => s.content.type);
  report.facts.thumbs = qa(".gw-thumb img[src^='blob:']").length;
  report.facts.waveVisible = Boolean(q(".gw-waveform")) && !q(".gw-waveform").hidden;
  report.facts.status = q(".gw-status")?.textContent ?? null;
  report.facts.width = el.getBoundingClientRect().width;
  // Anything poking out of its settings section or out of the panel is a layout bug.
  const root = q(".gw-root").getBoundingClientRect();
  report.facts.overflowing = qa(".gw-root *").filter((node) => {
    if (node.closest("[hidden]") || node.closest("details:not([open]) > .gw-section-body")) return false;
    if (node.parentElement?.closest(".gw-filmstrip")) return false; // scrolled out of view on purpose
    const r = node.getBoundingClientRect();
    if (!r.width) return false;
    const box = (node.closest(".gw-section") ?? q(".gw-root")).getBoundingClientRect();
    return r.right > Math.min(box.right, root.right) + 0.5 || r.left < Math.max(box.left, root.left) - 0.5;
  }).map((node) => {
    const r = node.getBoundingClientRect();
    const box = (node.closest(".gw-section") ?? q(".gw-root")).getBoundingClientRect();
    const name = node.id || node.getAttribute("aria-label") || node.textContent.slice(0, 20);
    return `${node.tagName.toLowerCase()}.${[...node.classList].join(".")} "${name}" ${Math.round(r.right - box.right)}px`;
  });
  report.facts.scrollWidth = el.scrollWidth;
} catch (err) {
  report.errors.push(String(err?.stack ?? err));
}
report.done = true;
write();
