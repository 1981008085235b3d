// A stand-in for the kernel side of the protocol (js/README.md), for loading the built bundle in a plain page:
// a model with get/set/on/off/send/save_changes, and a kernel that answers render, cancel and the other messages
// the way the Python widgets do, with frames drawn on a canvas and sent as PNG bytes.

export class FakeModel {
  constructor(state) {
    this.state = { ...state };
    this.listeners = new Map();
    this.sent = [];
    this.saves = 0;
    this.kernel = null;
  }
  get(key) {
    return this.state[key];
  }
  set(key, value) {
    this.state[key] = value;
    this.trigger(`change:${key}`);
  }
  save_changes() {
    this.saves += 1;
    this.kernel?.synced();
  }
  on(event, fn) {
    for (const name of event.split(" ")) {
      if (!this.listeners.has(name)) this.listeners.set(name, new Set());
      this.listeners.get(name).add(fn);
    }
  }
  off(event, fn) {
    for (const name of event.split(" ")) this.listeners.get(name)?.delete(fn);
  }
  trigger(event, ...args) {
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(...args);
  }
  send(content, _callbacks, buffers) {
    this.sent.push({ content, buffers });
    this.kernel?.receive(content, buffers ?? []);
  }
}

export function defaultProject(changes = {}) {
  return {
    keyframes: [
      { frame: 0, prompt: "a watercolor of a lighthouse at dawn", negative: null, seed: null },
      { frame: 24, prompt: "the lighthouse in a storm, dramatic waves", negative: "blurry", seed: 7 },
      { frame: 60, prompt: "northern lights over the sea", negative: null, seed: null },
    ],
    negative_prompt: "", use_fixed_latent: false, use_prompt_embeds: true, embedding_interpolation: "lerp",
    easing: "linear", seed: 42, num_inference_steps: 20, guidance_scale: 7.5, strength: 0.5, scheduler: null,
    batch_size: 1, height: null, width: null, latent_channels: null, output_format: "gif", fps: 10,
    pipeline_class: null, checkpoint: null, image_input: null, video_input: null, audio_input: null,
    audio_component: "percussive", audio_timing: false, audio_smooth: 0.0,
    animation_mode: "interpolate", noise: 0.0, contrast: 1.0, zoom: 1.0, angle: 0.0, translation_x: 0.0,
    translation_y: 0.0, schedule_interpolation: {}, easing_curve: null, easing_frequency: 1.0,
    border_mode: "replicate", color_match: false, cadence: 1, loop: false, boomerang: false, ...changes,
  };
}

// Synchronous on purpose: with --virtual-time-budget, Chromium lets virtual time run out while the page waits on
// real-time work such as an async PNG encode, so an await here made the smoke test flaky on a slow machine.
export function framePng(index, total, size = 96) {
  const canvas = Object.assign(document.createElement("canvas"), { width: size, height: size });
  const ctx = canvas.getContext("2d");
  const hue = (index / Math.max(1, total)) * 300;
  const gradient = ctx.createLinearGradient(0, 0, size, size);
  gradient.addColorStop(0, `hsl(${hue}, 70%, 55%)`);
  gradient.addColorStop(1, `hsl(${(hue + 60) % 360}, 70%, 30%)`);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = "rgba(255,255,255,.85)";
  ctx.beginPath();
  ctx.arc(size / 2 + Math.sin(index / 5) * size / 4, size / 2, size / 6, 0, Math.PI * 2);
  ctx.fill();
  const bytes = Uint8Array.from(atob(canvas.toDataURL("image/png").split(",")[1]), (c) => c.charCodeAt(0));
  return new DataView(bytes.buffer);
}

/** Peaks of a made-up beat: decaying bursts every half second. */
export function fakePeaks(duration = 8, columns = 2000) {
  const min = [];
  const max = [];
  for (let c = 0; c < columns; c += 1) {
    const t = (c / columns) * duration;
    const beat = Math.exp(-((t % 0.5) * 9));
    const a = Math.min(1, 0.08 + 0.85 * beat * (0.6 + 0.4 * Math.sin(t * 3.1)) + 0.05 * Math.sin(c * 1.7));
    max.push(Number(a.toFixed(3)));
    min.push(Number((-a * 0.9).toFixed(3)));
  }
  const beats = Array.from({ length: Math.floor(duration * 2) }, (_, i) => i * 0.5 + 0.02);
  return {
    duration, sample_rate: 22050, columns, min, max,
    onsets: { percussive: beats, harmonic: beats.filter((_, i) => i % 4 === 0), combined: beats },
  };
}

/** The `onsets` trait for onset times per component at `fps`, as the kernel shapes it. */
export function fakeOnsets(times, fps) {
  const out = { fps };
  for (const [name, list] of Object.entries(times)) out[name] = { times: list, frames: list.map((t) => Math.round(t * fps)) };
  return out;
}

/** One second of a quiet tone as WAV bytes, enough for an <audio> element to load. */
export function fakeWav(seconds = 1, rate = 8000) {
  const n = seconds * rate;
  const buffer = new ArrayBuffer(44 + n * 2);
  const v = new DataView(buffer);
  const text = (o, s) => {
    for (const [i, ch] of [...s].entries()) v.setUint8(o + i, ch.charCodeAt(0));
  };
  text(0, "RIFF"); v.setUint32(4, 36 + n * 2, true); text(8, "WAVE"); text(12, "fmt ");
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true); v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true); text(36, "data");
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i += 1) v.setInt16(44 + i * 2, Math.round(Math.sin(i / 8) * 3000), true);
  return new DataView(buffer);
}

export class FakeKernel {
  constructor(model, { frameDelay = 20 } = {}) {
    this.model = model;
    this.frameDelay = frameDelay;
    this.cancelled = false;
    this.runs = 0;
    model.kernel = this;
  }
  synced() {}
  notice(message, level = "info") {
    this.model.trigger("msg:custom", { type: "notice", level, message }, []);
  }
  async receive(content) {
    const m = this.model;
    switch (content.type) {
      case "render":
        return this.render();
      case "cancel":
        this.cancelled = true;
        return undefined;
      case "frames":
        return this.resend(content.from ?? 0);
      case "send_frame_to_image":
        m.set("media", { ...(m.get("media") ?? {}), image: { name: `frame-${content.frame}.png`, width: 96, height: 96 } });
        m.set("image_preview", framePng(content.frame, 60, 64));
        return this.notice(`frame ${content.frame} is now the initial image`);
      default:
        return this.notice(`(harness) ${content.type}`);
    }
  }
  async render(total = null, stopAt = null) {
    const m = this.model;
    const project = m.get("project");
    this.renderedPrompts = project.keyframes.map((k) => k.prompt);
    const n = total ?? Math.max(...project.keyframes.map((k) => k.frame)) + 1;
    this.runs += 1;
    const run = `run-${this.runs}`;
    this.cancelled = false;
    this.pngs = [];
    m.set("run_id", run);
    m.set("frame_count", 0);
    m.trigger("msg:custom", { type: "run", run, total: n }, []);
    m.set("status", { state: "rendering", message: "", done: 0, total: n, eta: null, rendered: 0, reused: 0 });
    const pngs = Array.from({ length: n }, (_, i) => framePng(i, n));
    for (let i = 0; i < n; i += 1) {
      if (this.cancelled || (stopAt !== null && i >= stopAt)) {
        if (this.cancelled) m.set("status", { ...m.get("status"), state: "cancelled" });
        return run;
      }
      const png = pngs[i];
      this.pngs[i] = png;
      m.trigger("msg:custom", { type: "frame", run, index: i, total: n, mime: "image/png" }, [png]);
      m.set("frame_count", i + 1);
      m.set("status", { state: "rendering", message: "", done: i + 1, total: n, eta: (n - i - 1) * 0.4,
        rendered: i + 1, reused: 0 });
      if (this.frameDelay) await new Promise((r) => setTimeout(r, this.frameDelay));
    }
    m.set("status", { state: "finished", message: "", done: n, total: n, eta: 0, rendered: n, reused: 0 });
    m.set("output_mime", "image/gif");
    m.set("output", this.pngs[Math.floor(n / 2)]); // a PNG stands in for the GIF: both show in an <img>
    return run;
  }
  resend(from) {
    const run = this.model.get("run_id");
    (this.pngs ?? []).forEach((png, i) => {
      if (i >= from && png) {
        this.model.trigger("msg:custom", { type: "frame", run, index: i, total: this.pngs.length, mime: "image/png" },
          [png]);
      }
    });
  }
}
