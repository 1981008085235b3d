// Keys typed into the panel's fields belong to the fields. JupyterLab (and VS Code) listen for shortcuts on the
// page: Enter would switch the notebook to edit mode instead of making a new line, Shift+Enter would run the cell
// again and rebuild the Studio. ipywidgets keeps key events of its own fields from the page the same way.

const EDITABLE = "input, textarea, select, [contenteditable=''], [contenteditable='true']";
const KEY_EVENTS = ["keydown", "keypress", "keyup"];
// Inputs where Enter means "done": it commits the value as leaving the field would.
const COMMIT_ON_ENTER = new Set(["number", "text", "search", "url", "email", ""]);

export function isEditable(target) {
  return target instanceof Element && target.matches(EDITABLE);
}

/** Keep key events of editable fields inside `root` from reaching the page's shortcuts; Enter in a one-line field
 * fires its change event. Listeners on the fields themselves still run (they come first). Returns a stop function. */
export function keepKeysInFields(root) {
  const onKey = (event) => {
    const target = event.target;
    if (!isEditable(target)) return;
    event.stopPropagation();
    if (event.type === "keydown" && event.key === "Enter" && !event.isComposing && !event.defaultPrevented
      && target.tagName === "INPUT" && COMMIT_ON_ENTER.has(target.getAttribute("type") ?? "")) {
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  };
  for (const type of KEY_EVENTS) root.addEventListener(type, onKey);
  return () => {
    for (const type of KEY_EVENTS) root.removeEventListener(type, onKey);
  };
}
