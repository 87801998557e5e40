// mount.js mounts the optional pieces a Session drives — the ad overlay,
// the companion renderer, the non-linear renderer, the VPAID runner, the
// SIMID host, the icon layer and the Open Measurement driver — each loaded
// on demand so that a headless or UI-less page never fetches them; the
// VPAID runner, the SIMID host, the icon layer, the non-linear renderer and
// the Open Measurement driver only once an ad needs them. connect.js
// imports this module itself on demand: it is not needed before the core
// runs, so it stays out of the JavaScript a page fetches to start a session.
// For the same reason it also carries pauseWhileAway, which only a
// click-through uses.

export { pauseWhileAway } from './away.js';

/**
 * preloadParts starts loading the parts mountParts creates at once for
 * options o (the overlay, the companion renderer), without creating them:
 * connect.js calls it while the core compiles. A part that fails to load
 * is reported by mountParts, which imports it again.
 */
export function preloadParts(o) {
  if (typeof document === 'undefined') return;
  const quiet = (p) => p.catch(() => { /* logged by mountParts */ });
  if (o.container && o.ui !== false) quiet(import('../ui/overlay.js'));
  if (o.companionSlots && o.companionSlots.length) quiet(import('../companions/renderer.js'));
}

/**
 * mountParts loads and creates the parts session's options ask for and
 * resolves to the created ones (each has destroy()). A part that fails to
 * load is logged through log and left out; none is created once
 * session.destroyed is set.
 */
export async function mountParts(session, o, log) {
  const parts = [];
  const load = async (name, importer, make) => {
    try {
      const m = await importer();
      if (session.destroyed) return;
      const part = make(m);
      if (part) parts.push(part);
    } catch (e) {
      log('warn', `availkit: ${name}: ${e && e.message || e}`);
    }
  };
  if (typeof document === 'undefined') return parts;
  const { video, container } = session;
  // The import() calls stay literal so bundlers can see them.
  const jobs = [];
  if (container && o.ui !== false) {
    jobs.push(load('overlay', () => import('../ui/overlay.js'),
      (m) => m.createAdOverlay(container, session, o.uiOptions || {})));
  }
  if (o.companionSlots && o.companionSlots.length) {
    jobs.push(load('companions', () => import('../companions/renderer.js'),
      (m) => m.createCompanionRenderer(session, o.companionSlots)));
  }
  if (video && container && o.nonLinear !== false) {
    // Loaded by the first non-linear avail, which it then shows.
    parts.push(lazyPart(session, log, {
      name: 'nonlinear', types: ['nonlinear'], wants: () => true,
      importer: () => import('../overlay/nonlinear.js'),
      make: (m) => m.createNonLinearRenderer(session, video, container, o.nonLinearOptions || {}),
      deliver: (r, e) => r.show(e.detail || {}),
    }));
  }
  if (video && container && o.vpaid !== false) {
    const vo = o.vpaidOptions || {};
    const importer = () => import('../vpaid/runner.js');
    const make = (m) => m.createVPAIDRunner(session, video, container, vo);
    // Most sessions never see a VPAID ad: the runner loads when one is
    // announced. A host driving the runner itself (autoStart: false) or
    // asking for a warm frame (prewarm: true) gets it at once.
    if (vo.autoStart === false || vo.prewarm === true) jobs.push(load('vpaid', importer, make));
    else parts.push(lazyVPAID(session, importer, make, log));
  }
  if (video && container && o.icons !== false) {
    // Loaded by the first ad with icons, which it then draws (unless that
    // ad ended while the module loaded).
    parts.push(lazyPart(session, log, {
      name: 'icons', types: ['adstart', 'vpaidstart'], adScoped: true,
      wants: (e) => Array.isArray(e.detail && e.detail.icons) && e.detail.icons.length > 0,
      importer: () => import('../ui/icons.js'),
      make: (m) => m.createIconRenderer(session, video, container),
      deliver: (r, e) => r.start(e.detail),
      // A unit's "I draw my own icons" and the ad's impression (which lets
      // an icon's view count) may come while the module loads.
      buffer: ['adicons', 'beacon'],
      replay: (r, e) => r.replay(e),
    }));
  }
  if (o.omid !== false) {
    // The Open Measurement driver is fetched by the first ad that carries
    // verifications, then handed that ad's adstart.
    const first = (e) => {
      const d = e.detail || {};
      if (!Array.isArray(d.adVerifications) || !d.adVerifications.length) return;
      session.removeEventListener('adstart', first);
      load('omid', () => import('../omid/driver.js'), (m) => {
        const driver = m.createOMIDDriver(session, video, container, o.omid);
        driver.start(d);
        return driver;
      });
    };
    session.addEventListener('adstart', first);
    parts.push({ destroy: () => session.removeEventListener('adstart', first) });
  }
  await Promise.all(jobs);
  if (video && container && o.simid !== false) parts.push(lazySIMID(session, video, container, o.simidOptions || {}, log));
  return parts;
}

// lazyPart stands in for a part until the first event of spec.types that
// spec.wants accepts: the part's module is then loaded (spec.importer), the
// part made (spec.make) and handed that event (spec.deliver), then the
// events of spec.buffer that came while it loaded (spec.replay). For an
// adScoped part the event is dropped if its ad ends while the module loads.
function lazyPart(session, log, spec) {
  let part = null;
  let dead = false;
  let pending = null; // the event that triggered the load
  const buffered = [];
  const buffer = spec.buffer || [];
  const hold = (e) => buffered.push(e);
  const onEnd = (e) => {
    const d = e.detail || {};
    if (pending && d.adId === pending.detail.adId && d.availId === pending.detail.availId) pending = null;
  };
  const settle = () => {
    session.removeEventListener('adend', onEnd);
    for (const t of buffer) session.removeEventListener(t, hold);
    pending = null;
    buffered.length = 0;
  };
  const onEvent = (e) => {
    if (!spec.wants(e)) return;
    for (const t of spec.types) session.removeEventListener(t, onEvent);
    pending = e;
    if (spec.adScoped) session.addEventListener('adend', onEnd);
    for (const t of buffer) session.addEventListener(t, hold);
    spec.importer().then((m) => {
      if (dead || session.destroyed) return;
      part = spec.make(m);
      if (!pending) return;
      spec.deliver(part, pending);
      for (const b of buffered) spec.replay(part, b);
    }).catch((err) => log('warn', `availkit: ${spec.name}: ${err && err.message || err}`)).finally(settle);
  };
  for (const t of spec.types) session.addEventListener(t, onEvent);
  return {
    name: spec.name,
    get part() { return part; },
    destroy() {
      dead = true;
      for (const t of spec.types) session.removeEventListener(t, onEvent);
      settle();
      if (part) part.destroy();
    },
  };
}

// lazySIMID fetches the SIMID host the first time an ad carries a SIMID
// creative and hands it that ad; later ads reach it directly. A session
// without SIMID ads never loads it.
function lazySIMID(session, video, container, opts, log) {
  let host = null;
  let dead = false;
  const first = (e) => {
    if (!e.detail || !e.detail.simid || e.detail.vpaid) return;
    session.removeEventListener('adstart', first);
    import('../simid/host.js').then((m) => {
      if (dead || session.destroyed) return;
      host = m.createSIMIDHost(session, video, container, opts);
      // The ad may have ended while the module loaded.
      const ui = typeof session.ui === 'function' ? session.ui() : null;
      if (!ui || ui.adId === e.detail.adId) host.run(e.detail);
    }).catch((err) => log('warn', `availkit: simid: ${err && err.message || err}`));
  };
  session.addEventListener('adstart', first);
  return {
    name: 'simid',
    get host() { return host; },
    destroy() {
      dead = true;
      session.removeEventListener('adstart', first);
      if (host) host.destroy();
    },
  };
}

// lazyVPAID stands in for the VPAID runner until the session announces a
// VPAID ad: an adstart whose detail has vpaid, or a break whose detail says
// hasVPAID. The runner is then loaded and given that event, unless the ad
// ended meanwhile.
function lazyVPAID(session, importer, make, log) {
  let runner = null;
  let loading = false;
  let destroyed = false;
  let pending = null; // the adstart detail that triggered the load
  const types = ['adstart', 'adend', 'adbreakupcoming', 'adbreakstart'];
  const onEvent = (e) => {
    const d = e.detail || {};
    if (e.type === 'adend') {
      if (pending && pending.adId === d.adId && pending.availId === d.availId) pending = null;
      return;
    }
    const vpaid = e.type === 'adstart' ? !!d.vpaid : d.hasVPAID === true;
    if (!vpaid || loading) return;
    loading = true;
    if (e.type === 'adstart') pending = d;
    for (const t of types) session.removeEventListener(t, onEvent);
    session.addEventListener('adend', onEvent);
    importer().then((m) => {
      session.removeEventListener('adend', onEvent);
      if (destroyed || session.destroyed) return;
      runner = make(m);
      if (pending) runner.onAdStart({ detail: pending });
      pending = null;
    }).catch((err) => log('warn', `availkit: vpaid: ${err && err.message || err}`));
  };
  for (const t of types) session.addEventListener(t, onEvent);
  return {
    destroy() {
      destroyed = true;
      for (const t of types) session.removeEventListener(t, onEvent);
      if (runner) runner.destroy();
    },
  };
}
