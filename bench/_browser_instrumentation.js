// The instrumentation every bench page gets before its own scripts run (bench/_browser.py new_page):
// window.__bench stamps the first frame, pointerup and regl-scatterplot draws on the page clock, and
// routes the harness mock model's save_changes/send to Python like a widget manager's comm would.
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const bench = (window.__bench = {
    now, raf, tick,
    pointerUpAt: null,     // last pointerup seen by the page (capture phase, before any widget)
    readyAt: null,         // first frame signal (see below)
    readyFrameAt: null,    // the animation frame after it
    draws: [],             // regl-scatterplot draw() calls: {at, done}
    scatterplots: [],
    lastRpc: null,
    errors: [],
  });
  window.addEventListener("pointerup", () => { bench.pointerUpAt = now(); }, true);

  const markReady = () => {
    if (bench.readyAt !== null) return;
    bench.readyAt = now();
    raf().then(() => { bench.readyFrameAt = now(); });
  };
  bench.markReady = markReady;

  // regl-scatterplot: wrap draw() to know when a redraw with new data has reached the canvas
  // (its promise resolves on the 'draw' event of the frame that shows the new points).
  bench.watch = (sp) => {
    if (!sp || sp.__benchWatched) return sp;
    sp.__benchWatched = true;
    bench.scatterplots.push(sp);
    const draw = sp.draw;
    sp.draw = function (...args) {
      const rec = { at: now(), done: null, error: null };
      const p = draw.apply(this, args);
      rec.promise = p.then(
        () => { rec.done = now(); markReady(); },
        (e) => { rec.error = String(e); },
      );
      bench.draws.push(rec);
      return p;
    };
    return sp;
  };
  // jupyter-scatter keeps its regl-scatterplot instance as `container.api`: catch the assignment
  // (it happens right before its first draw()).
  Object.defineProperty(HTMLElement.prototype, "api", {
    configurable: true,
    get() { return undefined; },
    set(v) {
      Object.defineProperty(this, "api", { value: v, writable: true, configurable: true, enumerable: true });
      bench.watch(v);
    },
  });
  // corral: the widget sets data-corral-ready="1" once its first frame is drawn.
  const watchReady = () => {
    new MutationObserver(() => {
      if (document.querySelector('[data-corral-ready="1"]')) markReady();
    }).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ["data-corral-ready"] });
  };
  if (document.documentElement) watchReady(); else document.addEventListener("DOMContentLoaded", watchReady);

  // -- a widget manager's comm, for the harness' mock model ------------------------------------
  const toBase64 = (view) => {
    const bytes = view instanceof ArrayBuffer ? new Uint8Array(view)
      : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const isBinary = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  /** @jupyter-widgets/base remove_buffers: binary values anywhere in the state leave as buffers. */
  const removeBuffers = (state) => {
    const paths = [], buffers = [];
    const walk = (v, path) => {
      if (isBinary(v)) { paths.push(path); buffers.push(toBase64(v)); return undefined; }
      if (Array.isArray(v)) {
        return v.map((x, i) => { const r = walk(x, [...path, i]); return r === undefined ? null : r; });
      }
      if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        const o = {};
        for (const [k, x] of Object.entries(v)) { const r = walk(x, [...path, k]); if (r !== undefined) o[k] = r; }
        return o;
      }
      return v;
    };
    return { state: walk(state, []), paths, buffers };
  };
  const toDataView = async (wire) => {
    const res = await fetch(wire.url ?? `data:application/octet-stream;base64,${wire.b64}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return new DataView(bytes.buffer, 0, bytes.byteLength);
  };
  /** Apply kernel messages in order, as a widget manager does on comm messages. */
  let delivering = Promise.resolve();
  bench.deliver = (messages) => (delivering = delivering.then(() => apply(messages)).catch((e) => {
    bench.errors.push(String(e)); console.error("bench: applying Python's messages failed", e);
  }));
  const apply = async (messages) => {
    const model = window.harness.model;
    for (const m of messages) {
      if (m.method === "update") {
        // ipywidgets' put_buffers, then the change events (as the harness does for Python changes)
        const state = m.state;
        for (let i = 0; i < m.paths.length; i++) {
          const path = m.paths[i];
          let obj = state;
          for (const key of path.slice(0, -1)) obj = obj[key];
          obj[path[path.length - 1]] = await toDataView(m.buffers[i]);
        }
        for (const [k, v] of Object.entries(state)) {
          if (typeof model.pySet === "function") model.pySet(k, v);
          else { model.attrs[k] = v; model.trigger(`change:${k}`, v); model.trigger("change"); }
        }
      } else if (m.method === "custom") {
        const buffers = await Promise.all(m.buffers.map(toDataView));
        for (const h of [...(model.handlers["msg:custom"] ?? [])]) h.cb.call(h.ctx, m.content, buffers);
      }
    }
  };
  /** Browser -> kernel: save_changes (state) and send (custom message), each answered with the
   *  kernel's messages, which are then applied. */
  bench.installComm = () => {
    patch(window.__benchMockModel.prototype);
    const mount = window.harness.mount;
    window.harness.mount = function (...args) { bench.mountAt = now(); return mount.apply(this, args); };
  };
  // JupyterLab hands widgets each buffer as a DataView over an ArrayBuffer of its own (byteOffset 0);
  // the harness deliberately uses offset views (corral copes; jupyter-scatter reads view.buffer
  // from 0 and would draw garbage), so buffers are re-based here, for every peer alike.
  const ownBuffers = (v) => {
    if (v instanceof DataView) {
      return v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v
        : new DataView(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    }
    if (Array.isArray(v)) {
      let out = null;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || typeof x !== "object") continue;
        const y = ownBuffers(x);
        if (y !== x) { out ??= v.slice(); out[i] = y; }
      }
      return out ?? v;
    }
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      let out = null;
      for (const [k, x] of Object.entries(v)) {
        const y = ownBuffers(x);
        if (y !== x) { out ??= { ...v }; out[k] = y; }
      }
      return out ?? v;
    }
    return v;
  };
  const patch = (proto) => {
    if (proto.__benchPatched) return;
    proto.__benchPatched = true;
    const get = proto.get;
    proto.get = function (name) {
      const v = get.call(this, name);
      const w = ownBuffers(v);
      if (w !== v) this.attrs[name] = w;
      return w;
    };
    proto.save_changes = function () {
      const calledAt = now();
      const pending = this.pending; this.pending = {};
      const { state, paths, buffers } = removeBuffers(pending);
      bench.lastRpc = window.__benchSave({ state, paths, buffers, calledAt })
        .then((msgs) => bench.deliver(msgs))
        .catch((e) => { bench.errors.push(String(e)); console.error("bench save failed", e); });
    };
    proto.send = function (content, callbacks, buffers) {
      const payload = { content, buffers: (buffers ?? []).map(toBase64) };
      bench.lastRpc = window.__benchMsg(payload)
        .then((msgs) => bench.deliver(msgs))
        .catch((e) => { bench.errors.push(String(e)); console.error("bench send failed", e); });
      return bench.lastRpc;
    };
  };
  /** Python-side action standing for a notebook cell (jupyter-scatter's recolour): same channel. */
  bench.call = (name, args) => {
    bench.lastRpc = window.__benchCall({ name, args })
      .then((msgs) => bench.deliver(msgs))
      .catch((e) => { bench.errors.push(String(e)); console.error("bench call failed", e); });
    return bench.lastRpc;
  };
  /** After `rpc` (the browser -> Python request of a gesture) has been answered and its reply
   *  applied: the regl draw() calls it caused (issued since `mark`) and when they reached the canvas. */
  bench.settleDraws = async (mark, t0, rpc) => {
    await rpc;
    const applied = now(); // the kernel's reply has been applied to the model
    await tick(); // queued microtasks / promise chains of the widget have run
    // A widget may call draw() a few frames later (corral lets its new colours land first, so
    // the points are drawn once, not twice): wait up to 3 animation frames for it.
    for (let f = 0; f < 3 && bench.draws.length === mark; f++) await raf();
    const recs = bench.draws.slice(mark);
    if (!recs.length) return { t0, error: "no redraw after the change" };
    await Promise.all(recs.map((r) => r.promise));
    const failed = recs.find((r) => r.error);
    const drawn = Math.max(...recs.map((r) => r.done ?? 0));
    await raf();
    return { t0, drawn, frame: now(), draws: recs.length, error: failed ? failed.error : null,
             phases: { applied: applied - t0, draw_called: recs[0].at - t0, drawn: drawn - t0 } };
  };
})();
