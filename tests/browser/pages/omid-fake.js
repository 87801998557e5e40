// omid-fake.js: a test Open Measurement service for availkit's `omid`
// option, written for the tests (no real OM SDK is available here). It
// plays the part a host's OM SDK service plays, in "limited access" mode:
// each verification script runs in its own hidden iframe sandboxed with
// allow-scripts only (an opaque origin: no access to the page, its cookies
// or storage), and receives the ad session's events by postMessage through
// a small `omidFake` API (see internal/emulator/creatives/omid-verification.js).
//
// It reports a script that fails to load as not executed with [REASON] 3,
// and rejects the vendors listed in `reject` with [REASON] 1. `log` keeps
// every event delivered to a frame, for the test's own assertions.

const esc = (s) => JSON.stringify(String(s)).replace(/</g, '\\u003c');
const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function bootstrap(uri, params) {
  return `<!doctype html><meta charset="utf-8"><script>
(function () {
  var fns = [];
  window.omidFake = { parameters: ${esc(params)}, addEventListener: function (fn) { if (typeof fn === 'function') fns.push(fn); } };
  window.addEventListener('message', function (e) {
    if (e.source !== parent) return;
    var m = e.data;
    if (!m || m.omidFake !== 1 || m.kind !== 'event') return;
    for (var i = 0; i < fns.length; i++) { try { fns[i]({ type: m.type, data: m.data, timestamp: m.t }); } catch (_) {} }
    if (m.type === 'sessionFinish') parent.postMessage({ omidFake: 1, kind: 'finished' }, '*');
  });
})();
</script><script src="${attr(uri)}" onload="parent.postMessage({omidFake:1,kind:'loaded'},'*')" onerror="parent.postMessage({omidFake:1,kind:'loadError'},'*')"></script>`;
}

export function createFakeOMService({ reject = [], finishTimeoutMs = 3000 } = {}) {
  const log = [];
  return {
    accessMode: 'limited',
    log,
    createAdSession(ctx) {
      const frames = [];
      for (const v of ctx.verifications) {
        if (reject.includes(v.vendor)) {
          ctx.notExecuted(v.vendor, 1);
          continue;
        }
        const f = document.createElement('iframe');
        f.setAttribute('sandbox', 'allow-scripts');
        f.setAttribute('aria-hidden', 'true');
        f.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
        f.srcdoc = bootstrap(v.javaScriptResource[0].uri, v.verificationParameters);
        const fr = { f, vendor: v.vendor, ready: false, dead: false, queue: [] };
        frames.push(fr);
        document.body.appendChild(f);
      }
      const post = (fr, type, data) => {
        log.push({ adId: ctx.adId, vendor: fr.vendor, type, data, t: performance.now() });
        fr.f.contentWindow?.postMessage({ omidFake: 1, kind: 'event', type, data, t: Date.now() }, '*');
      };
      const send = (type, data) => {
        for (const fr of frames) {
          if (fr.dead) continue;
          if (fr.ready) post(fr, type, data);
          else fr.queue.push([type, data]);
        }
      };
      const onMessage = (e) => {
        const fr = frames.find((x) => x.f.contentWindow === e.source);
        const m = e.data;
        if (!fr || !m || m.omidFake !== 1) return;
        if (m.kind === 'loaded' && !fr.ready) {
          fr.ready = true;
          post(fr, 'sessionStart', { accessMode: 'limited', vendor: fr.vendor, adId: ctx.adId, partner: ctx.partner });
          for (const [t, d] of fr.queue) post(fr, t, d);
          fr.queue = [];
        } else if (m.kind === 'loadError' && !fr.dead) {
          fr.dead = true;
          ctx.notExecuted(fr.vendor, 3);
          fr.f.remove();
        } else if (m.kind === 'finished') {
          fr.f.remove();
        }
      };
      window.addEventListener('message', onMessage);
      return {
        event: send,
        finish() {
          send('sessionFinish', {});
          // Frames leave when they acknowledge sessionFinish (their reports
          // are keepalive requests), or after a grace period.
          setTimeout(() => {
            for (const fr of frames) fr.f.remove();
            window.removeEventListener('message', onMessage);
          }, finishTimeoutMs);
        },
      };
    },
  };
}
