// The pipeline in words a newcomer reads at a glance ("Embedded model (offline, trained on shapes) · CPU"), with
// the technical details (class, checkpoint, device, dtype, call arguments) kept for a tooltip.

const EMBEDDED = "Embedded model (offline, trained on shapes)";
const EMBEDDED_PREFIX = "giffusion-widgets/"; // the embedded pipeline's checkpoint name (engine/builtin.py)

/** "cpu" -> "CPU", "cuda" / "cuda:0" -> "GPU", "cuda:1" -> "GPU 1", "mps" -> "Apple GPU". */
export function deviceWords(device) {
  const name = String(device ?? "").trim();
  if (!name) return "";
  if (name === "cpu") return "CPU";
  const cuda = /^cuda(?::(\d+))?$/.exec(name);
  if (cuda) return cuda[1] && cuda[1] !== "0" ? `GPU ${cuda[1]}` : "GPU";
  if (name === "mps") return "Apple GPU";
  return name;
}

/** {line, details} for a `pipeline_info` trait value and the project (its checkpoint, before anything loaded). */
export function describePipeline(info, project) {
  const i = info ?? {};
  const checkpoint = i.checkpoint || project?.checkpoint || "";
  const builtin = i.builtin ?? (!checkpoint || checkpoint.startsWith(EMBEDDED_PREFIX));
  const name = builtin ? EMBEDDED : checkpoint;
  // Older kernels send the device only inside the message ("cpu · float32").
  const fromMessage = i.state === "ready" && /^\S+ · \S+$/.test(i.message ?? "") ? i.message.split(" · ") : [];
  const device = i.device ?? fromMessage[0] ?? "";
  const dtype = i.dtype ?? fromMessage[1] ?? "";
  const details = [i.pipeline_class, checkpoint, device, dtype, i.accepts?.length ? `accepts ${i.accepts.join(", ")}` : ""]
    .filter(Boolean).join(" · ");
  switch (i.state) {
    case "ready":
      return { line: [name, deviceWords(device)].filter(Boolean).join(" · "), details };
    case "loading":
      return { line: `Loading ${builtin ? "the embedded model" : checkpoint}…`, details };
    case "failed":
      return { line: `Could not load ${builtin ? "the embedded model" : checkpoint}: ${i.message || "see the error"}`,
        details };
    default:
      return { line: `${name} · loads on the first render`, details };
  }
}
