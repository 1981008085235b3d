// Rendered frames kept in the browser as Blob URLs, one store per widget model, shared by its views.
//
// The kernel sends {type: "run", run, total} when a run starts and {type: "frame", run, index, total, mime} with the
// PNG bytes as the one buffer when a frame finishes. Frames of another run than the current one are dropped; a view
// opened after a page reload asks once with {type: "frames", from} and the kernel sends the rest again.

const stores = new WeakMap();

export function createFrameStore(model) {
  const listeners = new Set();
  const store = {
    run: null,
    total: 0,
    urls: [],
    count: 0,
    latest: -1,
    /** Subscribe to changes: fn({kind: "run"|"frame", index}); returns the unsubscribe function. */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    get(index) {
      return store.urls[index] ?? null;
    },
    has(index) {
      return Boolean(store.urls[index]);
    },
    /** Frames 0..n-1 are all here: the first index to ask the kernel for. */
    contiguous() {
      let n = 0;
      while (store.urls[n]) n += 1;
      return n;
    },
    reset(run, total) {
      for (const url of store.urls) if (url) URL.revokeObjectURL(url);
      store.run = run;
      store.total = total ?? 0;
      store.urls = [];
      store.count = 0;
      store.latest = -1;
      notify({ kind: "run" });
    },
    add(index, bytes, mime, total) {
      const old = store.urls[index];
      if (old) URL.revokeObjectURL(old);
      else store.count += 1;
      store.urls[index] = URL.createObjectURL(new Blob([bytes], { type: mime || "image/png" }));
      if (total !== undefined && total !== null) store.total = Math.max(store.total, total);
      store.latest = index;
      notify({ kind: "frame", index });
    },
    /** Handle one custom message from the kernel; true when it was a frame-store message. */
    handle(content, buffers) {
      if (!content || typeof content !== "object") return false;
      if (content.type === "run") {
        store.reset(content.run, content.total);
        return true;
      }
      if (content.type !== "frame") return false;
      if (content.run !== store.run) {
        // A reloaded page learns the current run from the run_id trait; anything else is a stale run.
        if (content.run !== model.get("run_id")) return true;
        store.reset(content.run, content.total);
      }
      const buffer = buffers?.[0];
      if (buffer) store.add(content.index, buffer, content.mime, content.total);
      return true;
    },
    dispose() {
      model.off("msg:custom", onMessage);
      store.reset(null, 0);
      listeners.clear();
      stores.delete(model);
    },
  };
  const notify = (event) => {
    for (const fn of listeners) fn(event);
  };
  const onMessage = (content, buffers) => store.handle(content, buffers);
  model.on("msg:custom", onMessage);
  return store;
}

/** The model's store, made on first use; the first view asks the kernel for the frames it lacks. */
export function frameStore(model) {
  let store = stores.get(model);
  if (!store) {
    store = createFrameStore(model);
    stores.set(model, store);
    if (model.get("run_id")) model.send({ type: "frames", from: 0 });
  }
  return store;
}
