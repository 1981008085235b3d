// The settings section for what a render adds to its pipeline: LoRAs with their weights, the extra arguments of
// the pipeline's call and of its scheduler (JSON objects, their mistakes shown in place), Compel prompt weighting,
// and a custom pipeline, whose code runs only with trust_remote_code (then a warning stays in view).
// Each edit goes to the kernel as the whole project; the kernel's problems show under the field they name.

import { debounce, h, isEditing } from "./dom.js";
import { editProject, getProject, problemsOf, watch } from "./model.js";

/** Where `index` falls in `text`, counted from 1 as an editor shows it. */
export function lineColumn(text, index) {
  const before = text.slice(0, Math.max(0, index));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Text typed into an arguments box -> {ok: true, value} (an object; empty text is {}) or {ok: false, why} with the
 * line and column of a JSON mistake, in words the same in every browser.
 */
export function parseArguments(text) {
  const raw = String(text ?? "");
  if (raw.trim() === "") return { ok: true, value: {} };
  let value;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    const message = String(err?.message ?? err);
    const at = /position (\d+)/.exec(message);
    const where = at ? lineColumn(raw, Number(at[1])) : lineColumn(raw, raw.length);
    const what = at ? "not valid JSON here" : "the JSON ends too soon";
    return { ok: false, why: `line ${where.line}, column ${where.column}: ${what} (write {"name": value, ...})` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, why: 'must be a JSON object: {"name": value, ...}' };
  }
  return { ok: true, value };
}

/** The arguments as the box shows them: empty for none, else indented JSON. */
export const formatArguments = (value) => (value && Object.keys(value).length ? JSON.stringify(value, null, 2) : "");

/** The section's one-line summary. */
export function additionsSummary(project) {
  const parts = [];
  const loras = project?.loras ?? [];
  if (loras.length) parts.push(loras.length === 1 ? "1 LoRA" : `${loras.length} LoRAs`);
  const args = Object.keys(project?.pipeline_kwargs ?? {}).length + Object.keys(project?.scheduler_kwargs ?? {}).length;
  if (args) parts.push(args === 1 ? "1 argument" : `${args} arguments`);
  if (project?.prompt_weighting) parts.push("weighted prompts");
  if (project?.custom_pipeline) parts.push(project.trust_remote_code ? "custom code (trusted)" : "custom code");
  return parts.join(" · ") || "none";
}

let nextId = 0;
const uid = (name) => {
  nextId += 1;
  return `gw-add-${name}-${nextId}`;
};

function marked(input, note, why) {
  note.textContent = why;
  input.setAttribute("aria-invalid", why ? "true" : "false");
  input.classList.toggle("gw-invalid", Boolean(why));
}

/** A JSON-object box bound to project[key]. */
function argumentsBox(model, cleanup, key, label, hint) {
  const id = uid(key);
  const input = h("textarea", { class: "gw-input gw-json", id, rows: 3, spellcheck: false,
    placeholder: '{"name": value}' });
  const note = h("div", { class: "gw-field-error" });
  let localWhy = "";
  const commit = () => {
    const result = parseArguments(input.value);
    localWhy = result.ok ? "" : result.why;
    show(getProject(model));
    if (!result.ok) return;
    if (JSON.stringify(getProject(model)?.[key] ?? {}) === JSON.stringify(result.value)) return;
    editProject(model, (p) => { p[key] = result.value; });
  };
  const typed = debounce(commit, 500);
  cleanup.listen(input, "input", typed);
  cleanup.listen(input, "blur", () => typed.flush());
  cleanup.add(() => typed.flush());
  function show(project) {
    if (!isEditing(input) && !localWhy) input.value = formatArguments(project?.[key]);
    marked(input, note, localWhy || problemsOf(model, key).map((p) => p.message).join(" · "));
  }
  const row = h("div", { class: "gw-field", dataset: { field: key } }, h("label", { class: "gw-label", for: id }, label),
    input, h("div", { class: "gw-hint" }, hint), note);
  return { row, show, flush: () => typed.flush() };
}

/** The LoRA list: a path and a weight per row, with remove and add buttons. */
function loraList(model, cleanup) {
  const rows = h("div", { class: "gw-lora-rows" });
  const note = h("div", { class: "gw-field-error" });
  const edit = (fn) => editProject(model, (p) => { p.loras = fn((p.loras ?? []).map((l) => ({ ...l }))); });
  const row = (lora, index) => {
    const path = h("input", { class: "gw-input", type: "text", value: lora.path ?? "", spellcheck: false,
      placeholder: "file, folder or Hub id", "aria-label": `LoRA ${index + 1} path` });
    const weight = h("input", { class: "gw-input gw-num", type: "number", step: 0.05, min: -10, max: 10,
      value: String(lora.weight ?? 1), "aria-label": `LoRA ${index + 1} weight` });
    const remove = h("button", { class: "gw-btn gw-icon", type: "button", title: "Remove this LoRA",
      "aria-label": `Remove LoRA ${index + 1}` }, "×");
    cleanup.listen(path, "change", () => edit((list) => {
      list[index].path = path.value.trim();
      return list;
    }));
    cleanup.listen(weight, "change", () => {
      const value = Number(weight.value);
      if (weight.value.trim() === "" || !Number.isFinite(value)) {
        marked(weight, note, "a LoRA's weight is a number, such as 0.8");
        return;
      }
      edit((list) => {
        list[index].weight = value;
        return list;
      });
    });
    cleanup.listen(remove, "click", () => edit((list) => list.filter((_, i) => i !== index)));
    return h("div", { class: "gw-row gw-lora" }, path, weight, remove);
  };
  const add = h("button", { class: "gw-btn", type: "button",
    onclick: () => edit((list) => [...list, { path: "", weight: 1 }]) }, "Add LoRA");
  let shown = "";
  function show(project) {
    const loras = project?.loras ?? [];
    const now = JSON.stringify(loras);
    const typing = rows.contains(rows.ownerDocument?.activeElement);
    if (now !== shown && !typing) {
      rows.replaceChildren(...loras.map(row));
      shown = now;
    }
    const why = problemsOf(model, "loras").map((p) => p.message).join(" · ");
    note.textContent = why;
  }
  const el = h("div", { class: "gw-field", dataset: { field: "loras" } }, h("span", { class: "gw-label" }, "LoRAs"),
    rows, h("div", { class: "gw-row" }, add), h("div", { class: "gw-hint" },
      "Weights from -10 to 10 (1: as trained). Each is loaded for the render and taken out afterwards."), note);
  return { row: el, show };
}

function check(model, cleanup, key, label, hint) {
  const id = uid(key);
  const input = h("input", { type: "checkbox", class: "gw-check", id });
  const note = h("div", { class: "gw-field-error" });
  cleanup.listen(input, "change", () => editProject(model, (p) => { p[key] = input.checked; }));
  const show = (project) => {
    input.checked = Boolean(project?.[key]);
    note.textContent = problemsOf(model, key).map((p) => p.message).join(" · ");
  };
  return { row: h("div", { class: "gw-field gw-field-check", dataset: { field: key } }, input,
    h("label", { class: "gw-label", for: id }, label), h("div", { class: "gw-hint" }, hint), note), show };
}

/** The section: {details, summaryText, summary, flush}; it follows the project and problems by itself. */
export function pipelineAdditions(model, cleanup) {
  const loras = loraList(model, cleanup);
  const callArgs = argumentsBox(model, cleanup, "pipeline_kwargs", "Pipeline arguments",
    'Passed to the pipeline\'s call, e.g. {"eta": 0.5} or InstructPix2Pix\'s {"image_guidance_scale": 1.5}.');
  const schedulerArgs = argumentsBox(model, cleanup, "scheduler_kwargs", "Scheduler arguments",
    'Over the scheduler\'s config, e.g. {"timestep_spacing": "leading"}.');
  const weighting = check(model, cleanup, "prompt_weighting", "Weighted prompts (Compel)",
    "a (red)1.3 circle, circle++; needs the compel package.");
  const customId = uid("custom-pipeline");
  const custom = h("input", { class: "gw-input", type: "text", id: customId, spellcheck: false,
    placeholder: "none: the checkpoint's own pipeline" });
  const customNote = h("div", { class: "gw-field-error" });
  cleanup.listen(custom, "change", () => editProject(model, (p) => { p.custom_pipeline = custom.value.trim() || null; }));
  const trust = check(model, cleanup, "trust_remote_code", "Trust remote code",
    "Runs the custom pipeline's Python code in this kernel.");
  const warning = h("div", { class: "gw-warning", role: "alert", hidden: true },
    "Remote code is on: the custom pipeline's code runs with this kernel's rights. Use only code you trust.");
  const summaryText = h("span", { class: "gw-summary-text" });
  const details = h("details", { class: "gw-section gw-additions" },
    h("summary", {}, h("span", { class: "gw-section-title" }, "LoRA and arguments"), summaryText),
    h("div", { class: "gw-section-body" }, loras.row, callArgs.row, schedulerArgs.row, weighting.row,
      h("div", { class: "gw-field", dataset: { field: "custom_pipeline" } },
        h("label", { class: "gw-label", for: customId }, "Custom pipeline"), custom,
        h("div", { class: "gw-hint" }, "A community pipeline's name or a local pipeline.py."), customNote),
      trust.row, warning));
  cleanup.add(watch(model, ["project", "problems"], () => {
    const project = getProject(model);
    loras.show(project);
    callArgs.show(project);
    schedulerArgs.show(project);
    weighting.show(project);
    trust.show(project);
    if (!isEditing(custom)) custom.value = project?.custom_pipeline ?? "";
    customNote.textContent = problemsOf(model, "custom_pipeline").map((p) => p.message).join(" · ");
    warning.hidden = !project?.trust_remote_code;
    summaryText.textContent = additionsSummary(project);
  }));
  return { details, summaryText, summary: additionsSummary, flush: () => {
    callArgs.flush();
    schedulerArgs.flush();
  } };
}
