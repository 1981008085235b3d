// Settings: every field edits the `project` dict (copy, change, set, save_changes). The kernel applies the whole
// dict only when every value is valid and names each problem as {field, message} in the `problems` trait: the field
// of that name shows the message under itself. Every list of choices comes from the `vocabulary` trait.

import { controlSettings } from "./control-settings.js";
import { cleanupList, debounce, h, isEditing } from "./dom.js";
import { inLabelWords } from "./field-words.js";
import { keepOpen } from "./fold.js";
import { inputNotes } from "./input-notes.js";
import { editProject, getProject, problemsOf, terms, watch } from "./model.js";
import { beatFields, beatSummary } from "./beat-settings.js";
import { motionFields, motionSummary } from "./motion-settings.js";
import { pipelineAdditions } from "./pipeline-additions.js";
import { describePipeline } from "./pipeline-words.js";
import { scheduledValue } from "./schedule-text.js";
import { rootElement } from "./root.js";
import { countOf } from "./words.js";

/** The schedulers to suggest: those the loaded pipeline accepts, else every one the kernel knows. */
export function schedulerChoices(vocabulary, pipelineInfo) {
  const known = vocabulary?.schedulers ?? [];
  const accepted = pipelineInfo?.state === "ready" && Array.isArray(pipelineInfo.schedulers)
    ? new Set(pipelineInfo.schedulers) : null;
  return accepted ? known.filter((t) => accepted.has(t.value)) : known;
}

let nextId = 0;
const uid = (name) => {
  nextId += 1;
  return `gw-${name}-${nextId}`;
};

/**
 * A labelled input bound to one project key.
 * kind: text | int | float | optint (empty = null, "auto") | optfloat (empty = null) | select | check | range | scheduled (a number or
 * schedule text, which the kernel checks)
 */
function field(model, cleanup, key, label, { kind = "text", hint = "", placeholder = "", options = [], min, max,
  step, list, nullable = false } = {}) {
  const id = uid(key);
  let input;
  if (kind === "select") {
    // options: vocabulary terms [{value, label, hint}]
    input = h("select", { class: "gw-input gw-select", id },
      options.map((t) => h("option", { value: t.value, title: t.hint || undefined }, t.label)));
  } else if (kind === "check") {
    input = h("input", { type: "checkbox", id, class: "gw-check" });
  } else {
    const numeric = ["int", "float", "optint", "optfloat", "range"].includes(kind);
    // batch_size takes a number or "auto": a text box with suggestions.
    input = h("input", {
      class: `gw-input${numeric && kind !== "range" ? " gw-num" : ""}`, id,
      type: kind === "range" ? "range" : numeric ? "number" : "text",
      min, max, step: step ?? (kind === "float" || kind === "optfloat" ? "any" : numeric ? "1" : undefined), placeholder,
      list: list ? `${id}-list` : undefined, autocomplete: "off", spellcheck: false,
    });
  }
  const valueLabel = kind === "range" ? h("output", { class: "gw-range-value", for: id }) : null;
  // list: suggestions, as plain values or vocabulary terms
  const datalist = list ? h("datalist", { id: `${id}-list` }) : null;
  const suggest = (items) => datalist?.replaceChildren(...items.map((v) => (typeof v === "object"
    ? h("option", { value: v.value, label: v.label }) : h("option", { value: v }))));
  if (list) suggest(list);
  const note = h("div", { class: "gw-field-error" });

  function parse() {
    const raw = String(input.value).trim();
    if (kind === "check") return { ok: true, value: input.checked };
    if (kind === "text") return { ok: true, value: raw === "" && nullable ? null : raw };
    if (kind === "select") return { ok: true, value: raw === "" && nullable ? null : raw };
    if (kind === "batch" && raw.toLowerCase() === "auto") return { ok: true, value: "auto" };
    if (kind === "scheduled" && raw !== "") return { ok: true, value: scheduledValue(raw) };
    if (raw === "") {
      return kind === "optint" || kind === "optfloat" ? { ok: true, value: null } : { ok: false, why: "enter a number" };
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) return { ok: false, why: "enter a number" };
    if ((kind === "int" || kind === "optint" || kind === "batch") && !Number.isInteger(value)) {
      return { ok: false, why: kind === "batch" ? "a whole number or auto" : "a whole number" };
    }
    return { ok: true, value };
  }

  let localWhy = ""; // what the browser itself found wrong with the typed text
  let kernelWhy = ""; // what the kernel says about this field
  function mark() {
    const why = localWhy || kernelWhy;
    note.textContent = why;
    input.setAttribute("aria-invalid", why ? "true" : "false");
    input.classList.toggle("gw-invalid", Boolean(why));
    row.dataset.problem = why ? "true" : "false";
  }

  function commit() {
    const result = parse();
    localWhy = result.ok ? "" : result.why;
    mark();
    if (!result.ok) return;
    if (getProject(model)?.[key] === result.value) return;
    editProject(model, (p) => { p[key] = result.value; });
  }

  const typed = kind === "text" ? debounce(commit, 400) : null;
  if (typed) {
    cleanup.listen(input, "input", typed);
    cleanup.listen(input, "blur", () => typed.flush());
    cleanup.add(() => typed.flush());
  } else if (kind === "range") {
    cleanup.listen(input, "input", () => { valueLabel.textContent = Number(input.value).toFixed(2); });
    cleanup.listen(input, "change", commit);
  } else {
    cleanup.listen(input, "change", commit);
  }

  function show(project) {
    const value = project?.[key];
    if (!isEditing(input)) {
      if (kind === "check") input.checked = Boolean(value);
      else input.value = value === null || value === undefined ? "" : String(value);
      if (valueLabel) valueLabel.textContent = Number(value ?? 0).toFixed(2);
      localWhy = ""; // the box shows the kernel's value again, so what was wrong with the typed text is gone
    }
    kernelWhy = problemsOf(model, key).map((p) => inLabelWords(p.message, key, label)).join(" · ");
    mark();
  }

  const labelEl = h("label", { for: id, class: "gw-label" }, label);
  const row = kind === "check"
    ? h("div", { class: "gw-field gw-field-check" }, input, labelEl, hint ? h("div", { class: "gw-hint" }, hint) : null,
      note)
    : h("div", { class: "gw-field" }, labelEl, h("div", { class: "gw-field-input" }, input, valueLabel, datalist),
      hint ? h("div", { class: "gw-hint" }, hint) : null, note);
  row.dataset.field = key;
  return { key, row, show, suggest, flush: () => typed?.flush(), input };
}

function section(title, summary, open, ...children) {
  const summaryText = h("span", { class: "gw-summary-text" });
  const details = h("details", { class: "gw-section", open },
    h("summary", {}, h("span", { class: "gw-section-title" }, title), summaryText),
    h("div", { class: "gw-section-body" }, children));
  return { details, summaryText, summary };
}

/** A file picker that uploads the chosen file as one buffer: {type: "upload", kind, name}. */
function uploadButton(model, kind, label) {
  // A media kind's hint in the vocabulary is what its file picker accepts.
  const accept = terms(model, "media_kinds").find((t) => t.value === kind)?.hint ?? ".json,application/json";
  const input = h("input", { type: "file", accept, hidden: true });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    const bytes = await file.arrayBuffer();
    model.send({ type: "upload", kind, name: file.name }, undefined, [bytes]);
    input.value = "";
  });
  const button = h("button", { class: "gw-btn", type: "button", onclick: () => input.click() }, label);
  return h("span", { class: "gw-upload" }, button, input);
}

export function mount(el, model, bus) {
  const cleanup = cleanupList();
  const fields = [];
  const add = (...args) => {
    const f = field(model, cleanup, ...args);
    fields.push(f);
    return f.row;
  };
  const fieldOf = (key) => fields.find((f) => f.key === key);
  const send = (content) => model.send(content);

  // ----------------------------------------------------------------- pipeline
  const pipelineState = h("span", { class: "gw-badge" });
  const pipelineMessage = h("div", { class: "gw-hint" });
  const pipelineKnows = h("div", { class: "gw-hint" }); // what the embedded model was trained on (from the kernel)
  const loadButton = h("button", { class: "gw-btn", type: "button", onclick: () => {
    for (const f of fields) f.flush();
    const p = getProject(model) ?? {};
    send({ type: "load_pipeline", checkpoint: p.checkpoint ?? "", pipeline_class: p.pipeline_class ?? "" });
  } }, "Load pipeline");
  const pipeline = section("Pipeline", (p) => describePipeline(model.get("pipeline_info"), p).line, false,
    h("div", { class: "gw-grid gw-grid-wide" },
      add("checkpoint", "Checkpoint", { nullable: true, placeholder: "empty: the embedded model",
        hint: "A Hub id (stabilityai/sd-turbo) or a local folder. Hub downloads need network access." }),
      add("pipeline_class", "Pipeline class", { nullable: true, placeholder: "auto",
        list: terms(model, "pipeline_classes") })),
    h("div", { class: "gw-row gw-pipeline-row" }, loadButton, pipelineState, pipelineMessage), pipelineKnows);

  // ------------------------------------------------------------------- inputs
  const media = {};
  const kindLabel = (kind) => terms(model, "media_kinds").find((t) => t.value === kind)?.label ?? kind;
  const mediaRow = (kind, extra = []) => {
    const title = kindLabel(kind);
    const name = h("span", { class: "gw-media-name" });
    const clear = h("button", { class: "gw-btn gw-icon", type: "button", title: `Remove the ${kind} input`,
      "aria-label": `Remove the ${kind} input`, onclick: () => send({ type: "clear_media", kind }) }, "×");
    media[kind] = { name, clear };
    return h("div", { class: "gw-media" },
      h("div", { class: "gw-media-head" }, h("span", { class: "gw-label" }, title), name, clear),
      h("div", { class: "gw-row" }, uploadButton(model, kind, `Choose ${kind}…`), extra));
  };
  const preview = h("img", { class: "gw-preview", alt: "Initial image", hidden: true });
  let previewUrl = null;
  const inputs = section("Inputs", () => mediaSummary(model.get("media")), false,
    h("div", { class: "gw-grid gw-grid-wide" },
      mediaRow("image", [preview]),
      h("div", {},
        mediaRow("audio", [
          h("button", { class: "gw-btn", type: "button", title: "Put a keyframe on each onset of the audio component",
            onclick: () => send({ type: "audio_keyframes" }) }, "Get keyframes from audio")]),
        add("audio_component", "Audio component", { kind: "select", options: terms(model, "audio_components"),
          hint: "Onsets of this part of the sound become keyframes." })),
      mediaRow("video", [
        h("button", { class: "gw-btn", type: "button", title: "Match keyframes and fps to the video",
          onclick: () => send({ type: "video_keyframes" }) }, "Get keyframes from video")])),
    h("div", { class: "gw-hint" }, "Files are saved beside the notebook. Strength (Diffusion) sets how far frames "
      + "may move away from the image or video."));

  // ---------------------------------------------------------------- diffusion
  const diffusion = section("Diffusion",
    (p) => `${p.num_inference_steps} steps · guidance ${p.guidance_scale} · seed ${p.seed}`, false,
    h("div", { class: "gw-grid" },
      add("num_inference_steps", "Steps", { kind: "int", min: 1 }),
      add("guidance_scale", "Guidance scale", { kind: "scheduled", hint: "or a schedule: a lane draws it" }),
      add("strength", "Strength", { kind: "scheduled", hint: "image and video inputs, 2D frames" }),
      add("seed", "Seed", { kind: "int", min: 0 }),
      add("batch_size", "Batch size", { kind: "batch", list: ["auto", "1", "2", "4", "8"],
        hint: "frames per pipeline call; auto finds what fits" }),
      add("scheduler", "Scheduler", { nullable: true, placeholder: "the pipeline's",
        list: schedulerChoices(model.get("vocabulary"), model.get("pipeline_info")) }),
      add("height", "Height", { kind: "optint", min: 8, step: 8, placeholder: "auto" }),
      add("width", "Width", { kind: "optint", min: 8, step: 8, placeholder: "auto" }),
      add("latent_channels", "Latent channels", { kind: "optint", min: 1, placeholder: "auto" })),
    add("negative_prompt", "Negative prompt", { placeholder: "things to avoid in every frame",
      hint: "A keyframe's own negative prompt replaces this one." }));

  const interpolation = section("Interpolation",
    (p) => `${p.use_prompt_embeds ? `${p.embedding_interpolation} embeddings` : "prompt text"} · ${p.easing}`, false,
    add("use_prompt_embeds", "Blend prompt embeddings between keyframes", { kind: "check",
      hint: "Off: each frame uses its nearest keyframe's prompt." }),
    add("use_fixed_latent", "Same starting noise for every frame", { kind: "check",
      hint: "Steadier animations; off lets the noise drift between keyframe seeds." }),
    h("div", { class: "gw-grid" },
      add("embedding_interpolation", "Blend", { kind: "select", options: terms(model, "interpolations") }),
      add("easing", "Easing", { kind: "select", options: terms(model, "easings") }),
      add("easing_frequency", "Sine frequency", { kind: "float", min: 0, step: 0.5,
        hint: "swings per segment (sine wave easing)" })),
    add("easing_curve", "Custom curve", { nullable: true, placeholder: "0:(0), 12:(0.2), 24:(1)",
      hint: "The weight between keyframes, 0..1, as a schedule over the frames (custom easing)." }));

  const formatName = (value) => terms(model, "output_formats").find((t) => t.value === value)?.label ?? value;
  const output = section("Output", (p) => `${formatName(p.output_format)} · ${p.fps} fps`, true,
    h("div", { class: "gw-grid" },
      add("output_format", "Format", { kind: "select", options: terms(model, "output_formats") }),
      add("fps", "Frames per second", { kind: "int", min: 1 })));

  const timing = section("Audio timing", (p) => (p.audio_timing ? `on · smooth ${p.audio_smooth}` : "off"), false,
    add("audio_timing", "Let the audio's energy set the pace between keyframes", { kind: "check",
      hint: "Loud passages move faster; needs an audio input." }),
    add("audio_smooth", "Smoothing", { kind: "range", min: 0, max: 1, step: 0.05 }));

  // ------------------------------------------------------------------ inspire
  const topics = h("input", { class: "gw-input", type: "text", id: uid("topics"),
    placeholder: "e.g. lighthouses, northern lights, watercolor", spellcheck: false });
  const modeName = uid("mode");
  const modes = terms(model, "inspiration_modes").map((t, i) => ({
    term: t, input: h("input", { type: "radio", name: modeName, value: t.value, checked: i === 0 }) }));
  const chosenMode = () => modes.find((m) => m.input.checked)?.term.value;
  const inspire = section("Inspire", () => "prompts from topics", false,
    h("div", { class: "gw-field" }, h("label", { class: "gw-label", for: topics.id }, "Topics"), topics),
    h("div", { class: "gw-row" },
      modes.map(({ term, input }) => h("label", { class: "gw-radio", title: term.hint }, input, ` ${term.label}`)),
      h("span", { class: "gw-spacer" }),
      h("button", { class: "gw-btn", type: "button", onclick: () => send({ type: "inspire", topics: topics.value,
        mode: chosenMode() }) }, "Inspire me")));

  // ------------------------------------------------------------------ project
  const path = h("input", { class: "gw-input", type: "text", id: uid("path"), value: "project.json",
    spellcheck: false });
  const comet = h("input", { type: "checkbox", class: "gw-check", id: uid("comet") });
  cleanup.listen(comet, "change", () => {
    model.set("log_to_comet", comet.checked);
    model.save_changes();
  });
  const projectSection = section("Project file", () => (model.get("log_to_comet") ? "Comet logging on" : ""), false,
    h("div", { class: "gw-field" }, h("label", { class: "gw-label", for: path.id }, "Path"),
      h("div", { class: "gw-row" }, path,
        h("button", { class: "gw-btn", type: "button", title: "Write the settings to this JSON file",
          onclick: () => {
            for (const f of fields) f.flush();
            bus?.emit("flush");
            send({ type: "save_project", path: path.value });
          } }, "Save"),
        h("button", { class: "gw-btn", type: "button", title: "Read settings from this JSON file",
          onclick: () => send({ type: "load_project", path: path.value }) }, "Load"),
        uploadButton(model, "project", "Open file…"))),
    h("div", { class: "gw-field gw-field-check" }, comet,
      h("label", { for: comet.id, class: "gw-label" }, "Log each finished render to Comet"),
      h("div", { class: "gw-hint" }, "Needs comet_ml and an API key (or offline mode).")));

  const labelOf = (name, value) => terms(model, name).find((t) => t.value === value)?.label ?? value;
  const motion = section("Motion", (p) => motionSummary(p, labelOf), false,
    ...motionFields(add, (name) => terms(model, name), (...rows) => h("div", { class: "gw-grid" }, rows)));

  const tempoButton = h("button", { class: "gw-btn", type: "button", "data-action": "tempo-from-audio",
    title: "Find the tempo of the audio input (librosa's beat tracker)",
    onclick: () => send({ type: "tempo_from_audio" }) }, "Tempo from audio");
  const beats = section("Beat grid", (p) => beatSummary(p, labelOf), false,
    ...beatFields(add, (name) => terms(model, name), (...rows) => h("div", { class: "gw-grid" }, rows),
      h("div", { class: "gw-row" }, tempoButton)));

  const additions = pipelineAdditions(model, cleanup);
  fields.push({ key: "additions", show: () => {}, flush: additions.flush });
  const control = controlSettings(model, cleanup);
  const sections = [pipeline, additions, control, inputs, diffusion, interpolation, motion, output, beats, timing,
    inspire,
    projectSection];
  const root = h("div", { class: "gw-settings" }, sections.map((s) => s.details));
  el.append(root);
  // Each group open or closed as it was left (fold.js), by its title: "settings.diffusion".
  for (const s of sections) {
    const title = s.details.querySelector(".gw-section-title")?.textContent ?? "";
    cleanup.add(keepOpen(model, `settings.${title.toLowerCase()}`, s.details));
  }
  if (bus) cleanup.add(bus.on("flush", () => {
    for (const f of fields) f.flush();
  }));

  cleanup.add(watch(model, ["project", "problems"], () => {
    const project = getProject(model);
    for (const f of fields) f.show(project);
    if (project) sections.forEach((s) => { s.summaryText.textContent = s.summary(project) || ""; });
  }));
  cleanup.add(watch(model, ["pipeline_info", "project"], () => {
    const info = model.get("pipeline_info") ?? {};
    const state = info.state ?? "unloaded";
    pipelineState.textContent = { unloaded: "not loaded", loading: "loading…", ready: "ready", failed: "failed" }[state]
      ?? state;
    pipelineState.dataset.state = state;
    loadButton.disabled = state === "loading";
    fieldOf("scheduler").suggest(schedulerChoices(model.get("vocabulary"), info));
    const words = describePipeline(info, getProject(model));
    pipelineMessage.textContent = words.line;
    pipelineMessage.title = words.details;
    pipelineKnows.textContent = info.knows ?? "";
    pipelineKnows.hidden = !info.knows;
    pipeline.summaryText.textContent = words.line;
    pipeline.summaryText.title = words.details;
  }));
  cleanup.add(watch(model, ["media"], () => {
    const m = model.get("media") ?? {};
    for (const kind of Object.keys(media)) {
      const item = m[kind];
      media[kind].name.textContent = item ? describeMedia(kind, item) : "none";
      media[kind].name.classList.toggle("gw-muted", !item);
      media[kind].clear.hidden = !item;
    }
    inputs.summaryText.textContent = inputs.summary();
  }));
  // Which input renders, and a stretched shape, said where the inputs are chosen (input-notes.js).
  const notes = h("div", { class: "gw-hint gw-input-notes", "aria-live": "polite" });
  inputs.details.querySelector(".gw-section-body").append(notes);
  cleanup.add(watch(model, ["media", "project"], () => {
    const found = inputNotes(getProject(model), model.get("media"));
    notes.replaceChildren(...found.map((note) => h("div", {}, note)));
    notes.hidden = !found.length;
  }));
  cleanup.add(watch(model, ["image_preview"], () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    const value = model.get("image_preview");
    previewUrl = value?.byteLength ? URL.createObjectURL(new Blob([value], { type: "image/png" })) : null;
    preview.hidden = !previewUrl;
    if (previewUrl) preview.src = previewUrl;
    else preview.removeAttribute("src");
  }));
  cleanup.add(watch(model, ["log_to_comet"], () => { comet.checked = Boolean(model.get("log_to_comet")); }));
  cleanup.add(() => previewUrl && URL.revokeObjectURL(previewUrl));
  return () => {
    cleanup.run();
    root.remove();
  };
}

function describeMedia(kind, item) {
  if (kind === "image") return `${item.name} · ${item.width}×${item.height}`;
  if (kind === "audio") return `${item.name} · ${Number(item.duration).toFixed(1)} s`;
  return `${item.name} · ${countOf(item.frame_count, "frame")} at ${Math.round(item.fps * 100) / 100} fps`;
}

function mediaSummary(media) {
  const names = Object.keys(media ?? {}).filter((k) => media[k]);
  return names.length ? names.join(" + ") : "none";
}

export default {
  render({ model, el }) {
    const root = rootElement(el, "settings");
    const stop = mount(root.body, model, null);
    return () => {
      stop();
      root.dispose();
    };
  },
};
