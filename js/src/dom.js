// Small DOM helpers: element building and a cleanup list for views.

/** h("div", {class: "x", onclick: fn, dataset: {a: 1}}, child, "text", [more]) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Collects teardown functions; `run()` calls them once, newest first. */
export function cleanupList() {
  const fns = [];
  return {
    add(fn) {
      if (typeof fn === "function") fns.push(fn);
      return fn;
    },
    listen(target, event, fn, options) {
      target.addEventListener(event, fn, options);
      fns.push(() => target.removeEventListener(event, fn, options));
    },
    run() {
      while (fns.length) {
        try {
          fns.pop()();
        } catch (err) {
          console.error(err);
        }
      }
    },
  };
}

/** True while the user is typing in `el` (its value must not be replaced under them). */
export const isEditing = (el) => el.ownerDocument?.activeElement === el;

/** Call `fn` at most once per `ms`, with the latest arguments, and once more at the end. */
export function debounce(fn, ms) {
  let timer = null;
  let lastArgs = null;
  const debounced = (...args) => {
    lastArgs = args;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...lastArgs);
    }, ms);
  };
  debounced.flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
      fn(...lastArgs);
    }
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
