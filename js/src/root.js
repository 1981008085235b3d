// The themed root every widget draws into, and the error line all of them share.

import { createBus } from "./bus.js";
import { cleanupList, h } from "./dom.js";
import { labelOf, inLabelWords } from "./field-words.js";
import { keepKeysInFields } from "./keys.js";
import { watch } from "./model.js";
import { createPlayer } from "./player.js";
import { followHostTheme } from "./theme.js";

/** The root of one widget's view; `widget` ("studio", "timeline", ...) becomes data-widget, a stable hook. */
export function rootElement(el, widget, className = "gw-standalone") {
  const cleanup = cleanupList();
  const body = h("div", { class: "gw-body" });
  const root = h("div", { class: `gw-root ${className}`.trim(), "data-widget": widget }, body);
  el.append(root);
  cleanup.add(followHostTheme(root));
  cleanup.add(keepKeysInFields(root));
  return {
    root,
    body,
    dispose() {
      cleanup.run();
      root.remove();
    },
  };
}

/** The `error` trait in words, with a button that clears it; hidden while there is none. */
export function mountErrorBanner(el, model) {
  const text = h("span", { class: "gw-error-text" });
  const banner = h("div", { class: "gw-error", role: "alert", hidden: true },
    h("span", { class: "gw-error-icon", "aria-hidden": "true" }, "!"), text,
    h("button", {
      class: "gw-btn gw-icon gw-dismiss", type: "button", title: "Dismiss", "aria-label": "Dismiss error",
      onclick: () => {
        model.set("error", "");
        model.save_changes();
      },
    }, "×"));
  // The kernel's problems with the project that no field of this view shows under itself (keyframes, settings
  // of a widget without a settings panel), one line each.
  const problems = h("ul", { class: "gw-problems", "aria-live": "polite", hidden: true });
  el.append(banner, problems);
  const stop = watch(model, ["error", "problems"], () => {
    const message = model.get("error") || "";
    // Settings named as their fields name them ("Steps", not num_inference_steps).
    const view = el.closest(".gw-root") ?? el;
    text.textContent = (model.get("problems") ?? [])
      .reduce((words, p) => inLabelWords(words, p.field, labelOf(view, p.field)), message);
    banner.hidden = !message;
  });
  const showProblems = () => {
    const view = el.closest(".gw-root") ?? el;
    const unclaimed = (model.get("problems") ?? [])
      .filter((p) => !view.querySelector(`[data-field="${CSS.escape(String(p.field))}"]`));
    problems.replaceChildren(...unclaimed.map((p) => h("li", { "data-field-problem": p.field }, p.message)));
    problems.hidden = !unclaimed.length;
  };
  // The fields mount after this line does: look once they are in place.
  const stopProblems = watch(model, ["problems"], () => queueMicrotask(showProblems));
  return () => {
    stop();
    stopProblems();
    banner.remove();
    problems.remove();
  };
}

/** A component shown alone (not inside the studio): its root, a bus with its own player, the error line.
 * Add teardown to `cleanup`; `dispose` runs it and removes everything. */
export function standaloneView(el, model, widget) {
  const bus = createBus();
  const root = rootElement(el, widget);
  bus.player = createPlayer(bus);
  const cleanup = cleanupList();
  cleanup.add(mountErrorBanner(root.body, model));
  return {
    bus,
    body: root.body,
    cleanup,
    dispose() {
      cleanup.run();
      bus.player.dispose();
      root.dispose();
    },
  };
}
