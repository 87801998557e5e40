// Creatives panel of the QA page: every media file named in the tracking
// JSON gets one row. MP3 files are run through the creative inspector
// (web/inspect, issue 6) once, and its figures and verdicts are shown next
// to the ad that declares them; other types show what the tracking JSON
// declares (type, size, bitrate), since only MP3 can be measured here.

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

function isMP3(mf) {
  return /^audio\/(mpeg|mp3)$/i.test(mf.mediaType || '') || /\.mp3(\?|#|$)/i.test(mf.mediaFileUri || '');
}

// figures is the one-line measurement a QA user compares with the VAST.
function figures(rep, ms) {
  const parts = [`${rep.duration.toFixed(3)} s`,
    `${rep.sampleRate / 1000} kHz ${rep.channels === 1 ? 'mono' : 'stereo'}`,
    `${Math.round(rep.bitrate / 1000)} kbit/s ${rep.vbr ? 'VBR' : 'CBR'}`];
  if (rep.levels) {
    parts.push(rep.silent ? 'silent' : `${rep.loudness.toFixed(1)} LUFS`, `peak ${rep.peakDbfs.toFixed(1)} dBFS`);
    if (rep.leadingSilence >= 0.05 || rep.trailingSilence >= 0.05) {
      parts.push(`silence ${rep.leadingSilence.toFixed(2)} s + ${rep.trailingSilence.toFixed(2)} s`);
    }
  }
  if (typeof ms === 'number') parts.push(`measured in ${ms.toFixed(0)} ms`);
  return parts.join(' · ');
}

// declared lists what the tracking JSON says about a file we cannot decode.
function declared(mf, dur) {
  const parts = [mf.mediaType || 'unknown type'];
  if (mf.width && mf.height) parts.push(`${mf.width}×${mf.height}`);
  if (mf.bitrate) parts.push(`${mf.bitrate} kbit/s`);
  if (mf.apiFramework) parts.push(mf.apiFramework);
  if (dur) parts.push(`declared ${dur.toFixed(3)} s`);
  return parts.join(' · ');
}

export function createCreativesPanel(root) {
  const seen = new Set();
  let generation = 0;

  async function inspect(ad, mf, slot, row, gen) {
    const status = row.querySelector('.cr-status');
    try {
      if (!inspectorPromise) {
        inspectorPromise = import('../inspect/inspect.js').then((m) => m.loadInspector());
        inspectorPromise.catch(() => { inspectorPromise = null; }); // let a later session retry
      }
      const insp = await inspectorPromise;
      const dur = secs(ad.duration, ad.durationInSeconds);
      const r = await insp.inspectUrl(mf.mediaFileUri, { declared: dur, slot });
      if (gen !== generation) return; // the session was reset meanwhile
      if (!r.ok) {
        row.dataset.tone = 'warn';
        status.textContent = `not measured (${r.kind}): ${r.error}`;
        return;
      }
      row.dataset.tone = r.pass ? 'ok' : 'bad';
      status.textContent = r.pass ? 'pass' : 'fail';
      row.append(el('p', 'hint cr-figures', figures(r.report, r.elapsedMs)));
      const list = el('ul', 'cr-verdicts');
      for (const v of r.verdicts || []) {
        const li = el('li', v.ok ? 'ok' : 'bad', `${v.ok ? '✓' : '✗'} ${v.check}: ${v.message}`);
        li.dataset.check = v.check;
        list.append(li);
      }
      for (const w of r.report.warnings || []) list.append(el('li', 'warn', `⚠ ${w}`));
      row.append(list);
    } catch (e) {
      if (gen !== generation) return;
      row.dataset.tone = 'warn';
      status.textContent = `not inspected: ${(e && e.message) || e}`;
    }
  }

  // The page's placeholder text, hidden while there are rows.
  const hint = root.querySelector(':scope > .hint');

  return {
    reset() {
      generation++;
      seen.clear();
      root.querySelectorAll('[data-ad]').forEach((n) => n.remove());
      if (hint) hint.hidden = false;
    },
    // tracking takes one polled tracking response.
    tracking(json) {
      for (const a of (json && json.avails) || []) {
        const slot = secs(a.duration, a.durationInSeconds);
        for (const ad of a.ads || []) {
          for (const mf of (ad.mediaFiles && ad.mediaFiles.mediaFilesList) || []) {
            const uri = mf && mf.mediaFileUri;
            if (!uri || seen.has(uri)) continue;
            seen.add(uri);
            const mp3 = isMP3(mf);
            const row = el('div', 'cr-row');
            row.dataset.ad = ad.adId;
            row.dataset.uri = uri;
            const head = el('div', 'cr-head');
            head.append(el('b', '', ad.adTitle || `ad ${ad.adId}`), el('code', '', uri),
              el('span', 'cr-status', mp3 ? 'inspecting…' : 'not inspected'));
            row.append(head);
            root.append(row);
            if (hint) hint.hidden = true;
            if (mp3) inspect(ad, mf, slot, row, generation);
            else row.append(el('p', 'hint cr-figures', declared(mf, secs(ad.duration, ad.durationInSeconds))));
          }
        }
      }
    },
  };
}
