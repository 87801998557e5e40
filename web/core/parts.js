// parts.js mounts the optional pieces a Session drives — the ad overlay,
// the companion renderer, the non-linear renderer, the VPAID runner, the
// SIMID host, the icon layer and the Open Measurement driver — each loaded
// on demand so that a headless or UI-less page never fetches them.

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
    jobs.push(load('vpaid', () => import('../vpaid/runner.js'),
      (m) => m.createVPAIDRunner(session, video, container, o.vpaidOptions || {})));
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
