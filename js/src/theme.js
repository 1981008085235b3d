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
