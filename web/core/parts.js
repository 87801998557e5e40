// parts.js mounts the optional pieces a Session drives — the ad overlay,
// the companion renderer, the non-linear renderer, the VPAID runner, the
// SIMID host, the icon layer and the Open Measurement driver — each loaded
// on demand so that a headless or UI-less page never fetches them; the
// VPAID runner only once the session announces a VPAID ad.

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
    jobs.push(load('nonlinear', () => import('../overlay/nonlinear.js'),
      (m) => m.createNonLinearRenderer(session, video, container, o.nonLinearOptions || {})));
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
    jobs.push(load('icons', () => import('../ui/icons.js'),
      (m) => m.createIconRenderer(session, video, container)));
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

/** destroyParts destroys every part, logging (not throwing) failures. */
export function destroyParts(parts, log) {
  for (const p of parts) {
    try {
      p.destroy();
    } catch (e) {
      log('warn', `availkit: destroy: ${e && e.message || e}`);
    }
  }
}
