// The kernel names settings by their project keys ("num_inference_steps must be at least 1"); the panel's fields
// say "Steps". Messages shown to people use the words of the field they are about.

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `message` with the project key `key` (as a whole word) written as the field's `label`. */
export function inLabelWords(message, key, label) {
  if (!key || !label) return String(message ?? "");
  return String(message ?? "").replace(new RegExp(`(^|[^\\w.])${escapeRegExp(key)}(?![\\w])`, "g"),
    (_, before) => `${before}${label}`);
}

/** The label of the settings field that edits `key` inside `root`, or null when no field shows it. */
export function labelOf(root, key) {
  const row = root?.querySelector(`.gw-field[data-field="${CSS.escape(String(key))}"]`);
  return row?.querySelector(".gw-label")?.textContent.trim() || null;
}

/** A kernel problem ({field, message}) in the words of the panel under `root`. */
export function problemWords(root, problem) {
  return inLabelWords(problem.message, problem.field, labelOf(root, problem.field));
}
