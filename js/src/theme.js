// Light or dark fallbacks for hosts without JupyterLab's CSS variables (VS Code, Colab): judge by the background
// the panel sits on. In JupyterLab the --jp-* variables win and this class changes nothing.

function parseRgb(color) {
  const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+))?/.exec(color);
  return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
}

export function hostIsDark(el) {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = parseRgb(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0.5) return (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255 < 0.5;
  }
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}

/** Keep `.gw-dark` on `root` in step with the host; returns a stop function. */
export function followHostTheme(root) {
  const apply = () => root.classList.toggle("gw-dark", hostIsDark(root));
  apply();
  requestAnimationFrame(apply); // once attached to the page, the host's colours are known
  const media = window.matchMedia?.("(prefers-color-scheme: dark)");
  media?.addEventListener?.("change", apply);
  const observer = new MutationObserver(apply);
  for (const target of [document.documentElement, document.body]) {
    observer.observe(target, { attributes: true, attributeFilter: ["class", "data-jp-theme-name", "theme", "style"] });
  }
  return () => {
    media?.removeEventListener?.("change", apply);
    observer.disconnect();
  };
}

/** Call `fn` after the host's theme changed (JupyterLab flips data-jp-theme-* on <body> and swaps its CSS, which can
 * land a little later): on the next frame and once more shortly after. Returns a stop function. */
export function onThemeChange(fn) {
  let frame = null;
  let timer = null;
  const later = () => {
    if (frame === null) frame = requestAnimationFrame(() => { frame = null; fn(); });
    clearTimeout(timer);
    timer = setTimeout(fn, 300);
  };
  const observer = new MutationObserver(later);
  const attributeFilter = ["class", "style", "data-jp-theme-light", "data-jp-theme-name", "theme"];
  for (const target of [document.documentElement, document.body]) observer.observe(target, { attributes: true, attributeFilter });
  // A theme's stylesheet arriving in <head> changes the variables without touching any attribute.
  observer.observe(document.head, { childList: true });
  const media = window.matchMedia?.("(prefers-color-scheme: dark)");
  media?.addEventListener?.("change", later);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.("change", later);
    if (frame !== null) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
