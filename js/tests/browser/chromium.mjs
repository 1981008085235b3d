// Serve the repository on 127.0.0.1 and run Debian's headless Chromium against the harness page (no Playwright,
// no browser download). Used by browser-smoke.test.mjs and by `node js/tests/browser/chromium.mjs` for screenshots.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const haveChromium = () => existsSync(CHROMIUM);

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".png": "image/png" };

export function serve(root = REPO) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({
      base: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((r) => server.close(r)),
    }));
  });
}

/** Run Chromium once: {dom} with --dump-dom, or a screenshot written to `screenshot`. */
export function chromium(url, { screenshot = null, width = 1040, height = 1400, budgetMs = 4000 } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), "gw-chromium-"));
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update", "--disable-quic", "--mute-audio",
    `--user-data-dir=${profile}`, `--window-size=${width},${height}`, `--virtual-time-budget=${budgetMs}`,
    "--run-all-compositor-stages-before-draw",
    screenshot ? `--screenshot=${screenshot}` : "--dump-dom", url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { err += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60000);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`chromium exited ${code}: ${err.slice(-2000)}`));
      else resolve({ dom: out, stderr: err });
    });
  });
}

/** The harness's JSON report from a dumped DOM. */
export function readReport(dom) {
  const m = /<pre id="report">([\s\S]*?)<\/pre>/.exec(dom);
  if (!m?.[1]) return null;
  const text = m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
  return JSON.parse(text);
}

// node js/tests/browser/chromium.mjs OUTDIR  -> screenshots of the main scenarios, for a person to look at.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = path.resolve(process.argv[2] ?? "test-artifacts/harness");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(outdir, { recursive: true });
  const server = await serve();
  const shots = [
    ["studio-idle", "widget=studio&scenario=idle"],
    ["studio-rendered-audio", "widget=studio&scenario=audio-render-select"],
    ["studio-midway-dark", "widget=studio&scenario=audio-render-midway-error-notice&dark=1"],
    ["studio-typo-open", "widget=studio&scenario=render-typo-open", 1040, 2200],
    ["studio-narrow", "widget=studio&scenario=audio-render-cancel&width=520", 600, 1900],
    ["timeline", "widget=timeline&scenario=select"],
    ["waveform", "widget=waveform&scenario=audio", 1040, 400],
    ["scrubber", "widget=scrubber&scenario=render", 1040, 700],
  ];
  try {
    for (const [name, query, width, height] of shots) {
      const file = path.join(outdir, `${name}.png`);
      await chromium(`${server.base}/js/tests/browser/harness.html?${query}`, { screenshot: file, width, height });
      console.log(file);
    }
  } finally {
    await server.close();
  }
}
