// The frame store against a fake model; Node has Blob and URL.createObjectURL, so no browser is needed.
import { test } from "node:test";
import assert from "node:assert/strict";

import { createFrameStore, frameStore } from "../src/frames.js";

function fakeModel(state = {}) {
  const listeners = new Map();
  return {
    state,
    sent: [],
    get: (k) => state[k],
    on(event, fn) {
      listeners.set(event, [...(listeners.get(event) ?? []), fn]);
    },
    off(event, fn) {
      listeners.set(event, (listeners.get(event) ?? []).filter((f) => f !== fn));
    },
    send(content) {
      this.sent.push(content);
    },
    emit(event, ...args) {
      for (const fn of listeners.get(event) ?? []) fn(...args);
    },
  };
}

const png = (n) => new DataView(new Uint8Array([0x89, 0x50, 0x4e, 0x47, n]).buffer);

test("frames of the current run are kept as Blob URLs with their bytes", async () => {
  const model = fakeModel({ run_id: "" });
  const store = createFrameStore(model);
  const events = [];
  store.subscribe((e) => events.push(e));
  model.emit("msg:custom", { type: "run", run: "r1", total: 3 }, []);
  model.emit("msg:custom", { type: "frame", run: "r1", index: 1, total: 3, mime: "image/png" }, [png(1)]);
  model.emit("msg:custom", { type: "frame", run: "r1", index: 0, total: 3, mime: "image/png" }, [png(0)]);
  assert.equal(store.count, 2);
  assert.equal(store.total, 3);
  assert.equal(store.contiguous(), 2);
  assert.equal(store.has(2), false);
  assert.ok(store.get(0).startsWith("blob:"));
  const blob = await (await fetch(store.get(1))).arrayBuffer();
  assert.deepEqual([...new Uint8Array(blob)], [0x89, 0x50, 0x4e, 0x47, 1]);
  assert.deepEqual(events.map((e) => e.kind), ["run", "frame", "frame"]);
});

test("frames of another run are dropped, a resend replaces in place", () => {
  const model = fakeModel({ run_id: "r2" });
  const store = createFrameStore(model);
  store.handle({ type: "run", run: "r2", total: 2 }, []);
  store.handle({ type: "frame", run: "r1", index: 0, total: 2 }, [png(9)]);
  assert.equal(store.count, 0);
  store.handle({ type: "frame", run: "r2", index: 0, total: 2 }, [png(0)]);
  const first = store.get(0);
  store.handle({ type: "frame", run: "r2", index: 0, total: 2 }, [png(0)]);
  assert.equal(store.count, 1);
  assert.notEqual(store.get(0), first);
});

test("after a reload the store adopts the run named by run_id", () => {
  const model = fakeModel({ run_id: "r7" });
  const store = createFrameStore(model);
  assert.equal(store.handle({ type: "frame", run: "r7", index: 4, total: 10 }, [png(4)]), true);
  assert.equal(store.run, "r7");
  assert.equal(store.total, 10);
  assert.equal(store.count, 1);
});

test("a new run starts empty; notices are not frame messages", () => {
  const model = fakeModel({});
  const store = createFrameStore(model);
  store.handle({ type: "run", run: "a", total: 1 }, []);
  store.handle({ type: "frame", run: "a", index: 0, total: 1 }, [png(0)]);
  store.handle({ type: "run", run: "b", total: 5 }, []);
  assert.equal(store.count, 0);
  assert.equal(store.get(0), null);
  assert.equal(store.handle({ type: "notice", level: "info", message: "hi" }, []), false);
});

test("one store per model; the first view asks for the frames once", () => {
  const model = fakeModel({ run_id: "r1" });
  const a = frameStore(model);
  const b = frameStore(model);
  assert.equal(a, b);
  assert.deepEqual(model.sent, [{ type: "frames", from: 0 }]);
  a.dispose();
  const idle = fakeModel({ run_id: "" });
  frameStore(idle);
  assert.deepEqual(idle.sent, [], "nothing to ask for before any run");
});
