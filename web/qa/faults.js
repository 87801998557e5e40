// Fault form of the QA page (the emulator's knobs, docs/emulator.md
// "Faults"): it shows the faults the emulator holds for the run's session
// and applies the tester's changes to it. Only an emulator whose /debug
// routes answer the page has it (app.js attaches it then).

const NUMBERS = ['trackingLatencyMs', 'tracking5xxRate', 'beaconDelayMs'];
const FLAGS = ['trackingMalformed', 'beaconDown', 'expireNow'];

// createFaultForm drives form and its apply button; fetchFn is the page's
// own fetch, onApplied(body, status) hears each change sent.
export function createFaultForm(form, apply, { fetch: fetchFn, onApplied }) {
  let target = null; // {base, id, session}
  // Fields the tester changed and did not apply yet: attach keeps them
  // rather than showing what the emulator holds, and applies them.
  const edited = new Set();
  const url = (t) => `${t.base}/debug/sessions/${encodeURIComponent(t.id)}/faults`;

  const mark = (e) => {
    const name = e.target && e.target.name;
    if (NUMBERS.includes(name) || FLAGS.includes(name)) edited.add(name);
  };
  form.addEventListener('input', mark);
  form.addEventListener('change', mark);

  async function send(t) {
    const f = form.elements;
    const body = {};
    for (const k of NUMBERS) body[k] = Number(f[k].value) || 0;
    for (const k of FLAGS) body[k] = f[k].checked;
    const r = await fetchFn(url(t), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    }).catch((err) => ({ ok: false, status: err.message }));
    if (r.ok) edited.clear();
    onApplied(body, r.status);
    // A VOD session polls its tracking once, at the start: without a poll
    // now, tracking faults and an expired session would never show.
    if (r.ok && target === t && !t.session.live) t.session.pollNow();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (target) send(target);
  });

  return {
    // attach points the form at a session of the emulator at base and
    // fills it with the faults the emulator holds for it, those its
    // adsParams set (fault_*) included: the form said 0 for them, and
    // Apply cleared them unseen.
    // Apply stays disabled until then: an Apply sent before the reply
    // was overwritten by it. Fields changed before the session existed
    // (or while it loaded) are applied to it at once.
    async attach(base, id, session) {
      const t = { base, id, session };
      target = t;
      apply.disabled = true;
      let held = null;
      try {
        const r = await fetchFn(url(t), { cache: 'no-store' });
        if (r.ok) held = await r.json();
      } catch {
        // the form keeps its values
      }
      if (target !== t) return;
      apply.disabled = false;
      const f = form.elements;
      if (held) {
        for (const k of NUMBERS) if (!edited.has(k)) f[k].value = String(Number(held[k]) || 0);
        for (const k of FLAGS) if (!edited.has(k)) f[k].checked = !!held[k];
      }
      if (edited.size) await send(t);
    },
    detach() {
      target = null;
      apply.disabled = true;
    },
  };
}
