// parts.js mounts the optional pieces a Session drives — the ad overlay,
// the companion renderer, the non-linear renderer and the VPAID runner —
// each loaded on demand so that a headless or UI-less page never fetches
// them; the VPAID runner only once the session announces a VPAID ad.

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
  await Promise.all(jobs);
  return parts;
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
