// Sections of the panel that fold away (the settings groups, the schedule lanes, the recent runs), open or closed as
// they were left: the `folds` trait holds {name: open}, so a reloaded page, a notebook saved with its widget state and
// the cell run again show them the same. A widget without the trait keeps the state in the view only.

import { h } from "./dom.js";
import { watch } from "./model.js";

/** The stored state of `name`: true or false, or undefined when the user never changed it. */
const storedOpen = (model, name) => {
  const value = model.get("folds")?.[name];
  return typeof value === "boolean" ? value : undefined;
};

function remember(model, name, open) {
  const folds = model.get("folds");
  if (folds === undefined || folds === null || storedOpen(model, name) === open) return;
  model.set("folds", { ...folds, [name]: open });
  model.save_changes();
}

/** Keep a <details>' open state under `name`; returns the teardown. */
export function keepOpen(model, name, details) {
  // A <details> made open says "toggle" once by itself: the state it was made with is not the user's choice.
  const made = details.open;
  const onToggle = () => {
    if (storedOpen(model, name) !== undefined || details.open !== made) remember(model, name, details.open);
  };
  details.addEventListener("toggle", onToggle);
  const stop = watch(model, ["folds"], () => {
    const open = storedOpen(model, name);
    if (open !== undefined && details.open !== open) details.open = open;
  });
  return () => {
    stop();
    details.removeEventListener("toggle", onToggle);
  };
}

let ids = 0;

/** A section title that folds `body` away: {button, open(), dispose()}. `open` is the state before any change. */
export function foldToggle(model, name, title, body, { open = true } = {}) {
  body.id ||= `gw-fold-${++ids}`;
  const button = h("button", { class: "gw-fold", type: "button", "aria-controls": body.id, "data-fold": name },
    h("span", { class: "gw-fold-mark", "aria-hidden": "true" }, "▸"), h("span", { class: "gw-title" }, title));
  const show = (shown) => {
    body.hidden = !shown;
    button.setAttribute("aria-expanded", String(shown));
    button.title = shown ? `Fold away ${title.toLowerCase()}` : `Show ${title.toLowerCase()}`;
  };
  const set = (shown) => {
    show(shown);
    remember(model, name, shown);
  };
  button.addEventListener("click", () => set(body.hidden));
  show(storedOpen(model, name) ?? open);
  const stop = watch(model, ["folds"], () => {
    const stored = storedOpen(model, name);
    if (stored !== undefined) show(stored);
  }, { now: false });
  return { button, open: () => set(true), dispose: stop };
}
