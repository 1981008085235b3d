// The "Control" settings section: ControlNets and T2I adapters, one row each (model, source, preprocessor,
// conditioning scale, and for ControlNets the part of the denoising they act on), with a Preview button that asks
// the kernel for the preprocessor's picture on the current frame. Each edit goes to the kernel as the whole
// project; its problems show under the list they name (giffusion_widgets/control.py checks them).

import { h } from "./dom.js";
import { editProject, getProject, problemsOf, watch } from "./model.js";

// Names from giffusion_widgets/control.py (tests/test_control.py checks that the kernel knows each one).
export const PREPROCESSORS = ["none", "canny"];
export const AUX_PREPROCESSORS = ["depth_midas", "depth_zoe", "lineart_realistic", "lineart_anime", "openpose",
  "softedge_hed", "normal_bae", "mlsd", "shuffle"];
export const SOURCES = ["video", "image", "previous"];

/** The section's one-line summary. */
export function controlSummary(project) {
  const parts = [];
  const count = (n, one, many) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
  const nets = project?.controlnets ?? [];
  const adapters = project?.adapters ?? [];
  if (nets.length) parts.push(count(nets.length, "ControlNet", "ControlNets"));
  if (adapters.length) parts.push(count(adapters.length, "adapter", "adapters"));
  const images = (project?.keyframes ?? []).filter((k) => k.image).length;
  if (images) parts.push(count(images, "image keyframe", "image keyframes"));
  return parts.join(" · ") || "none";
}

/** A conditioning scale as typed: a number, or schedule text kept as text ("0:(1), 30:(0.2)"). */
export function parseScale(text) {
  const raw = String(text ?? "").trim();
  if (raw === "") return 1;
  const value = Number(raw);
  return Number.isFinite(value) ? value : raw;
}

/** A new entry: the project's video input, else its image input, as the source. */
export function newEntry(project, kind) {
  const source = project?.video_input ? "video" : project?.image_input ? "image" : "";
  const entry = { model: "", source, preprocessor: "canny", conditioning_scale: 1 };
  return kind === "controlnets" ? { ...entry, guidance_start: 0, guidance_end: 1 } : entry;
}

let nextId = 0;
const uid = (name) => {
  nextId += 1;
  return `gw-control-${name}-${nextId}`;
};

/** The list of `kind` ("controlnets" | "adapters"): a row per entry, remove, add and preview buttons. */
function controlList(model, cleanup, kind, label, previews) {
  const what = kind === "controlnets" ? "ControlNet" : "adapter";
  const rows = h("div", { class: "gw-control-rows" });
  const note = h("div", { class: "gw-field-error" });
  const listId = uid("preprocessors");
  const sourcesId = uid("sources");
  const edit = (fn) => editProject(model, (p) => { p[kind] = fn((p[kind] ?? []).map((e) => ({ ...e }))); });
  const set = (index, key, value) => edit((list) => {
    list[index][key] = value;
    return list;
  });
  const row = (entry, index) => {
    const n = index + 1;
    const text = (key, value, placeholder, extra = {}) => {
      const input = h("input", { class: "gw-input", type: "text", value: value ?? "", spellcheck: false, placeholder,
        "aria-label": `${what} ${n} ${key.replace("_", " ")}`, dataset: { key }, ...extra });
      return input;
    };
    const modelInput = text("model", entry.model, "Hub id or local folder");
    const source = text("source", entry.source, "video, image, previous or a file", { list: sourcesId });
    const preprocessor = text("preprocessor", entry.preprocessor ?? "none", "canny", { list: listId });
    const scale = text("conditioning_scale", String(entry.conditioning_scale ?? 1), "1.0 or 0:(1), 30:(0.2)");
    cleanup.listen(modelInput, "change", () => set(index, "model", modelInput.value.trim()));
    cleanup.listen(source, "change", () => set(index, "source", source.value.trim() || null));
    cleanup.listen(preprocessor, "change", () => set(index, "preprocessor", preprocessor.value.trim() || "none"));
    cleanup.listen(scale, "change", () => set(index, "conditioning_scale", parseScale(scale.value)));
    const cells = [modelInput, source, preprocessor, scale];
    if (kind === "controlnets") {
      for (const [key, fallback] of [["guidance_start", 0], ["guidance_end", 1]]) {
        const input = h("input", { class: "gw-input gw-num", type: "number", step: 0.05, min: 0, max: 1,
          value: String(entry[key] ?? fallback), "aria-label": `${what} ${n} ${key.replace("_", " ")}`,
          dataset: { key } });
        cleanup.listen(input, "change", () => {
          const value = Number(input.value);
          if (input.value.trim() !== "" && Number.isFinite(value)) set(index, key, value);
        });
        cells.push(input);
      }
    }
    const preview = h("button", { class: "gw-btn", type: "button", title: "Show the preprocessor's picture of the "
      + "current frame", "aria-label": `Preview ${what} ${n}` }, "Preview");
    cleanup.listen(preview, "click", () => model.send({ type: "control_preview", kind, index,
      frame: Number(model.get("frame") ?? 0) || 0 }));
    const remove = h("button", { class: "gw-btn gw-icon", type: "button", title: `Remove this ${what}`,
      "aria-label": `Remove ${what} ${n}` }, "×");
    cleanup.listen(remove, "click", () => edit((list) => list.filter((_, i) => i !== index)));
    const picture = h("img", { class: "gw-control-preview", alt: `${what} ${n}'s conditioning image`, hidden: true });
    previews.set(`${kind}:${index}`, picture);
    return h("div", { class: "gw-control", dataset: { index: String(index) } },
      h("div", { class: "gw-row gw-control-cells" }, ...cells, preview, remove), picture);
  };
  const add = h("button", { class: "gw-btn", type: "button",
    onclick: () => edit((list) => [...list, newEntry(getProject(model), kind)]) }, `Add ${what}`);
  let shown = "";
  function show(project) {
    const entries = project?.[kind] ?? [];
    const now = JSON.stringify(entries);
    const typing = rows.contains(rows.ownerDocument?.activeElement);
    if (now !== shown && !typing) {
      for (const key of [...previews.keys()]) if (key.startsWith(`${kind}:`)) previews.delete(key);
      rows.replaceChildren(...entries.map(row));
      shown = now;
    }
    note.textContent = problemsOf(model, kind).map((p) => p.message).join(" · ");
  }
  const options = (id, values) => h("datalist", { id }, values.map((v) => h("option", { value: v })));
  const el = h("div", { class: "gw-field", dataset: { field: kind } }, h("span", { class: "gw-label" }, label),
    rows, h("div", { class: "gw-row" }, add), options(listId, [...PREPROCESSORS, ...AUX_PREPROCESSORS]),
    options(sourcesId, SOURCES), note);
  return { row: el, show };
}

/** The section: {details, summaryText, summary, flush}; it follows the project, problems and previews itself. */
export function controlSettings(model, cleanup) {
  const previews = new Map();
  const nets = controlList(model, cleanup, "controlnets", "ControlNets", previews);
  const adapters = controlList(model, cleanup, "adapters", "T2I adapters", previews);
  const summaryText = h("span", { class: "gw-summary-text" });
  const previewNote = h("div", { class: "gw-field-error", dataset: { field: "control_preview" } });
  const details = h("details", { class: "gw-section gw-control-section" },
    h("summary", {}, h("span", { class: "gw-section-title" }, "Control"), summaryText),
    h("div", { class: "gw-section-body" }, nets.row, adapters.row,
      h("div", { class: "gw-hint" }, "Sources: the video input, the image input, a picture file, or previous "
        + "(the 2D mode). canny and none always work; the other preprocessors need controlnet-aux. Image "
        + "keyframes: '| image: cat.png' in the prompt text."), previewNote));
  cleanup.add(watch(model, ["project", "problems"], () => {
    const project = getProject(model);
    nets.show(project);
    adapters.show(project);
    summaryText.textContent = controlSummary(project);
  }));
  const onMessage = (content, buffers) => {
    if (content?.type !== "control_preview") return;
    previewNote.textContent = content.error ?? "";
    const picture = previews.get(`${content.kind}:${content.index}`);
    if (!picture || content.error || !buffers?.length) return;
    const old = picture.src;
    picture.src = URL.createObjectURL(new Blob([buffers[0]], { type: "image/png" }));
    if (old) URL.revokeObjectURL(old);
    picture.hidden = false;
  };
  model.on("msg:custom", onMessage);
  cleanup.add(() => model.off("msg:custom", onMessage));
  return { details, summaryText, summary: controlSummary, flush: () => {} };
}
