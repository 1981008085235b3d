// Bundle the front end into giffusion_widgets/static/: one ES module per widget and one stylesheet.
//
//   node build.mjs                 write the bundle
//   node build.mjs --outdir DIR    write it elsewhere (tests/test_js.py compares a fresh build with the committed one)
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf("--outdir");
const outdir = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(here, "..", "giffusion_widgets", "static");

const common = {
  absWorkingDir: here, // paths in the bundle's comments are relative to js/, wherever the output goes
  bundle: true,
  outdir,
  logLevel: "warning",
  legalComments: "none",
  charset: "utf8",
};

await esbuild.build({
  ...common,
  entryPoints: ["src/studio.js", "src/timeline.js", "src/waveform.js", "src/scrubber.js"],
  format: "esm",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  minify: false,
});

await esbuild.build({
  ...common,
  entryPoints: ["src/style.css"],
  target: ["chrome100", "firefox100", "safari15"],
});

console.log(`built ${path.relative(process.cwd(), outdir) || "."}`);
