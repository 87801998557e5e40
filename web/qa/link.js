// link.js keeps the QA page's address bar in step with its runs: the
// page's URL, copied, reproduces the run (app.js's applyQuery reads it).

// LINKED are the form fields a link carries.
const LINKED = ['format', 'kind', 'player', 'scenario', 'noSkip', 'reportingMode', 'media', 'omid', 'rate'];

// defaultOf is the value a form field (a select or a radio group) has
// before anyone touches it.
function defaultOf(el) {
  if (!el) return '';
  const pick = el.options ? ([...el.options].find((o) => o.defaultSelected) || el.options[0]) : [...el].find((r) => r.defaultChecked);
  return pick ? pick.value : '';
}

/**
 * linkRun puts the run's settings (cfg, and adsParams, the page's textarea)
 * in the address bar, so that the page's URL, copied, reproduces it:
 * choices made in the form never showed there. Defaults are left out; the
 * endpoint fields and adsParams go in when set.
 */
export function linkRun(form, adsParams, cfg) {
  const q = new URLSearchParams();
  for (const k of LINKED) {
    const el = form.elements[k];
    const v = String(cfg[k] ?? '');
    if (v && v !== defaultOf(el)) q.set(k, v);
  }
  const ads = adsParams.value.trim();
  if (ads && ads !== adsParams.defaultValue.trim()) q.set('adsParams', ads);
  for (const k of ['endpoint', 'manifestUrl', 'trackingUrl']) if (cfg[k]) q.set(k, cfg[k]);
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}${location.hash}`);
}

