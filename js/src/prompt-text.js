// The keyframes as text in the `<frame>: <prompt>` grammar, synced both ways with the timeline. While the text does
// not parse, the error shows beside it and the project keeps its last valid keyframes.

import { cleanupList, debounce, h, isEditing } from "./dom.js";
import { refusedWords } from "./edit-guard.js";
import { formatPrompts, tryParsePrompts } from "./grammar.js";
import { sameKeyframes } from "./keyframes.js";
import { projectKeyframes, setKeyframes, watch } from "./model.js";

let nextId = 0;

export function mountPromptText(el, model, bus) {
  const cleanup = cleanupList();
  nextId += 1;
  const id = `gw-text-${nextId}`;
  const area = h("textarea", {
    class: "gw-input gw-code", id, rows: 6, spellcheck: false, autocomplete: "off",
    "aria-describedby": `${id}-status`,
    placeholder: "0: a red circle on a white background\n60: a blue square on a sky background | seed: 7",
  });
  const status = h("div", { class: "gw-text-status", id: `${id}-status`, role: "status", "aria-live": "polite" });
  const section = h("div", { class: "gw-prompt-text" },
    h("div", { class: "gw-subtitle" }, h("label", { for: id }, "Prompts as text")),
    area, status,
    h("div", { class: "gw-hint" }, "One keyframe a line: ", h("code", {}, "frame: prompt | negative: … | seed: …"),
      ". Lines starting with # are comments."));
  el.append(section);

  let error = null;

  // A keyframe edit elsewhere waits for the text to parse (edit-guard.js); the note says so until it does.
  const refused = h("div", { class: "gw-field-error gw-edit-refused", role: "alert", hidden: true });
  status.after(refused);
  cleanup.add(bus.on("keyframe-edit-refused", (why) => {
    refused.textContent = refusedWords(why);
    refused.hidden = false;
  }));
  cleanup.add(() => { bus.state.textError = null; });

  function showStatus() {
    bus.state.textError = error ? error.message : null;
    if (!error) refused.hidden = true;
    status.classList.toggle("gw-bad", Boolean(error));
    if (error) {
      status.textContent = error.message;
      return;
    }
    const n = projectKeyframes(model).length;
    status.textContent = `${n} keyframe${n === 1 ? "" : "s"}`;
  }

  const apply = debounce(() => {
    const result = tryParsePrompts(area.value);
    error = result.error;
    area.setAttribute("aria-invalid", error ? "true" : "false");
    if (!error && !sameKeyframes(result.keyframes, projectKeyframes(model))) setKeyframes(model, result.keyframes);
    showStatus();
  }, 300);

  cleanup.listen(area, "input", apply);
  cleanup.listen(area, "blur", () => {
    apply.flush();
    syncFromProject();
  });
  cleanup.listen(area, "keydown", (event) => {
    // Jump to the error: Ctrl/Cmd+. puts the caret where the parser stopped.
    if (error && event.key === "." && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      area.setSelectionRange(...errorRange(area.value, error));
    }
  });
  cleanup.listen(status, "click", () => {
    if (!error) return;
    area.focus();
    area.setSelectionRange(...errorRange(area.value, error));
  });
  cleanup.add(bus.on("flush", () => apply.flush()));
  cleanup.add(() => apply.flush());

  // Text written by the user stays as written (comments, spacing) while it means the same keyframes; it is
  // rewritten only when the keyframes changed elsewhere, and never while it holds an error the user is fixing.
  // Tall enough for the keyframes without scrolling, within reason.
  const fitRows = () => {
    area.rows = Math.max(4, Math.min(14, area.value.split("\n").length + 1));
  };
  cleanup.listen(area, "input", fitRows);

  function syncFromProject() {
    const keyframes = projectKeyframes(model);
    if (!error && !isEditing(area)) {
      const parsed = tryParsePrompts(area.value);
      if (parsed.error || !sameKeyframes(parsed.keyframes, keyframes)) area.value = formatPrompts(keyframes);
    }
    fitRows();
    showStatus();
  }
  cleanup.add(watch(model, ["project"], syncFromProject));
  return () => {
    cleanup.run();
    section.remove();
  };
}

/** [start, end] offsets (UTF-16, as textareas count) of the error's line and column. */
export function errorRange(text, error) {
  const lines = text.split(/\r\n|\n|\r/);
  let offset = 0;
  for (let i = 0; i < error.line - 1 && i < lines.length; i += 1) offset += lines[i].length + 1;
  const line = lines[error.line - 1] ?? "";
  const codePoints = Array.from(line);
  const before = codePoints.slice(0, Math.max(0, error.column - 1)).join("").length;
  return [offset + before, offset + line.length];
}
