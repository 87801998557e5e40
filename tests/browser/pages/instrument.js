// Counts what a page has registered and not released: event listeners on
// every EventTarget, pending timeouts, intervals, animation frames and video
// frame callbacks. Loaded as a classic script before anything else so that
// the plugin's registrations are all seen (a listener on a node no longer in
// the document is not counted: it goes away with the node). The tests read
// window.__leaks.snapshot() before a session and after destroy().
(() => {
  const live = new Map(); // key → {target, type, n}
  const targets = new WeakMap();
  let nextId = 1;
  function tid(t) {
    let id = targets.get(t);
    if (!id) targets.set(t, (id = nextId++));
    return id;
  }
  function cap(o) {
    return typeof o === 'boolean' ? o : !!(o && o.capture);
  }
  const ET = EventTarget.prototype;
  const add = ET.addEventListener;
  const remove = ET.removeEventListener;
  const fns = new WeakMap(); // listener → Set of keys
  ET.addEventListener = function (type, fn, opts) {
    if (fn) {
      const k = `${tid(this)}|${type}|${cap(opts)}`;
      let s = fns.get(fn);
      if (!s) fns.set(fn, (s = new Set()));
      if (!s.has(k)) {
        s.add(k);
        const e = live.get(k) || { target: this, type, n: 0 };
        e.n++;
        live.set(k, e);
        if (opts && typeof opts === 'object' && opts.once) {
          // A once listener unregisters itself when it runs.
          const self = this;
          add.call(this, type, function onceGone() {
            remove.call(self, type, onceGone, cap(opts));
            if (s.delete(k)) {
              e.n--;
            }
          }, { capture: cap(opts), once: true });
        }
      }
    }
    return add.call(this, type, fn, opts);
  };
  ET.removeEventListener = function (type, fn, opts) {
    if (fn) {
      const k = `${tid(this)}|${type}|${cap(opts)}`;
      const s = fns.get(fn);
      if (s && s.delete(k)) {
        const e = live.get(k);
        if (e) e.n--;
      }
    }
    return remove.call(this, type, fn, opts);
  };

  const timers = new Map(); // id → kind
  const st = window.setTimeout, ct = window.clearTimeout, si = window.setInterval, ci = window.clearInterval;
  window.setTimeout = function (fn, ms, ...a) {
    const id = st.call(window, (...b) => {
      timers.delete(id);
      if (typeof fn === 'function') fn(...b);
    }, ms, ...a);
    timers.set(id, 'timeout');
    return id;
  };
  window.clearTimeout = function (id) {
    timers.delete(id);
    return ct.call(window, id);
  };
  window.setInterval = function (fn, ms, ...a) {
    const id = si.call(window, fn, ms, ...a);
    timers.set(id, 'interval');
    return id;
  };
  window.clearInterval = function (id) {
    timers.delete(id);
    return ci.call(window, id);
  };
  const frames = new Set();
  const raf = window.requestAnimationFrame, caf = window.cancelAnimationFrame;
  window.requestAnimationFrame = function (fn) {
    const id = raf.call(window, (t) => {
      frames.delete(id);
      fn(t);
    });
    frames.add(id);
    return id;
  };
  window.cancelAnimationFrame = function (id) {
    frames.delete(id);
    return caf.call(window, id);
  };
  const vfc = new Set();
  const VP = HTMLVideoElement.prototype;
  if (VP.requestVideoFrameCallback) {
    const rv = VP.requestVideoFrameCallback, cv = VP.cancelVideoFrameCallback;
    VP.requestVideoFrameCallback = function (fn) {
      const self = this;
      const id = rv.call(this, (n, m) => {
        vfc.delete(`${tid(self)}|${id}`);
        fn(n, m);
      });
      vfc.add(`${tid(this)}|${id}`);
      return id;
    };
    VP.cancelVideoFrameCallback = function (id) {
      vfc.delete(`${tid(this)}|${id}`);
      return cv.call(this, id);
    };
  }

  window.__leaks = {
    snapshot() {
      const listeners = {};
      for (const [k, e] of live) {
        if (e.n <= 0) continue;
        // A listener on a node that left the document dies with the node.
        if (typeof Node !== 'undefined' && e.target instanceof Node && !e.target.isConnected) continue;
        const name = `${e.target.constructor && e.target.constructor.name}:${e.type}`;
        listeners[name] = (listeners[name] || 0) + e.n;
      }
      const t = { timeout: 0, interval: 0 };
      for (const kind of timers.values()) t[kind]++;
      return { listeners, timeouts: t.timeout, intervals: t.interval, frames: frames.size, videoFrames: vfc.size };
    },
  };
})();
