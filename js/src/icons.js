// Inline SVG icons: the play and step glyphs are missing from many fonts, and SVG follows the text colour.

const PATHS = {
  play: "M4 2.5v11l9-5.5z",
  pause: "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z",
  prev: "M3 2.5h2v11H3zM13 2.5v11L6 8z",
  next: "M11 2.5h2v11h-2zM3 2.5v11L10 8z",
};

export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "14");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "gw-svg");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", PATHS[name]);
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

/** Show play or pause on a toggle button and say which in its label. */
export function setPlayIcon(button, playing) {
  button.replaceChildren(icon(playing ? "pause" : "play"));
  button.setAttribute("aria-label", playing ? "Pause" : "Play");
}
