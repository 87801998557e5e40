// Creatives panel of the QA page: every MP3 media file named in the
// tracking JSON is run through the creative inspector (web/inspect, issue 6)
// once, and its verdicts are listed next to the ad that declares it.

let inspectorPromise = null;

function secs(iso, n) {
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  const m = typeof iso === 'string' && /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  return m ? (Number(m[1]) || 0) * 3600 + (Number(m[2]) || 0) * 60 + (Number(m[3]) || 0) : 0;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function createCreativesPanel(root) {
  const seen = new Set();

  async function inspect(ad, mf, row) {
    try {
      if (!inspectorPromise) inspectorPromise = import('../inspect/inspect.js').then((m) => m.loadInspector());
      const insp = await inspectorPromise;
      const dur = secs(ad.duration, ad.durationInSeconds);
      const r = await insp.inspectUrl(mf.mediaFileUri, { declared: dur, slot: dur });
      row.dataset.tone = r.pass ? 'ok' : 'bad';
      const status = row.querySelector('.cr-status');
      status.textContent = r.pass ? 'pass' : 'fail';
      const list = el('ul', 'cr-verdicts');
      for (const v of r.verdicts || []) {
        const li = el('li', v.ok ? 'ok' : 'bad', `${v.ok ? '✓' : '✗'} ${v.check}: ${v.message}`);
        list.append(li);
      }
      row.append(list);
    } catch (e) {
      row.dataset.tone = 'warn';
      row.querySelector('.cr-status').textContent = `not inspected: ${e && e.message || e}`;
    }
  }

  return {
    reset() {
      seen.clear();
      root.querySelectorAll('[data-ad]').forEach((n) => n.remove());
    },
    // tracking takes one polled tracking response.
    tracking(json) {
      for (const a of (json && json.avails) || []) {
        for (const ad of a.ads || []) {
          for (const mf of (ad.mediaFiles && ad.mediaFiles.mediaFilesList) || []) {
            const uri = mf && mf.mediaFileUri;
            const mp3 = uri && (/audio\/mpeg/i.test(mf.mediaType || '') || /\.mp3(\?|$)/i.test(uri));
            if (!mp3 || seen.has(uri)) continue;
            seen.add(uri);
            const row = el('div', 'cr-row');
            row.dataset.ad = ad.adId;
            const head = el('div', 'cr-head');
            head.append(el('b', '', ad.adTitle || `ad ${ad.adId}`), el('code', '', uri), el('span', 'cr-status', 'inspecting…'));
            row.append(head);
            root.append(row);
            inspect(ad, mf, row);
          }
        }
      }
    },
  };
}
