// QA page controller: starts a session against the local emulator with the
// chosen format, kind and player, or against any endpoint (a session-init
// URL, or the manifest and tracking URLs of a session made elsewhere), and
// shows what the plugin and, on the emulator, the collector saw. Query
// parameters preset the form (format, kind, player, scenario, noSkip,
// reportingMode, media, omid, rate, adsParams, endpoint, manifestUrl,
// trackingUrl) and autostart=1 starts at once, so a link reproduces a run.

import { AvailKit } from '../availkit.js';
import { PLAYER_EVENTS } from '../core/events.js';
import { createBeaconLog } from './beacons.js';
import { createTimeline } from './timeline.js';
import { playheadText, sessionClockText } from './clockline.js';
import { createEventLog } from './events.js';
import { createCreativesPanel } from './creatives.js';
import { createStatsPanel } from './stats.js';
import { embedSnippet } from '../element/snippet.js';
import { createInspectPanel } from './inspect.js';
import { runTarget, probeCollector, createEndpointRow } from './endpoint.js';
import { observeFetches } from './observe.js';
import { createFaultForm } from './faults.js';
import { createPlayer, nativeGap } from './player.js';
import { createOnScreen } from './onscreen.js';
import { createStatus, beaconFailure } from './errors.js';
import { createRichPanel, recorderService } from './rich.js';
import { createTrackingPanel } from './trackingpanel.js';
import { createTransport } from './transport.js';
import { linkRun } from './link.js';

const ACCOUNT = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const ORIGIN = 'availkit';

const $ = (id) => document.getElementById(id);
const form = $('setup');
const video = $('video');
createTransport({ video, stage: $('stage'), play: $('tr-play'), mute: $('tr-mute'), full: $('tr-full') });

const timeline = createTimeline({
  track: $('tl-track'), avails: $('tl-avails'), playhead: $('tl-playhead'), axis: $('tl-axis'), clock: $('tl-clock'),
});
const onscreen = createOnScreen(video);
const beacons = createBeaconLog($('beacons').tBodies[0], $('beacon-sum'), {
  onScreen: (d, sentAt) => onscreen.cell(d, sentAt),
  timeText: (t) => timeline.timeText(t),
  rate: () => video.playbackRate,
});
onscreen.onChange(() => {
  beacons.refresh();
  timeline.setFirstFrames(onscreen.firstFrames());
});
const rich = createRichPanel($('rich').tBodies[0], $('rich-hint'));
const events = createEventLog($('events'), $('ev-progress'), { timeText: (t) => timeline.timeText(t) });
const status = createStatus($('status'), $('errlist'), () => events.elapsed());
const creatives = createCreativesPanel($('creatives'));
const stats = createStatsPanel(document.querySelector('.p-creatives'));

let kitPromise = null;
let run = null; // {session, player, stop()}

// pageError reports a failure of the page itself (not a session event):
// in the event log, the status pill and its error list.
function pageError(label, d) {
  status.set(label, 'bad');
  events.add('error', d);
  status.error(d, label);
}

function info(k, v) {
  const dd = document.querySelector(`#info [data-k="${k}"]`);
  if (dd) dd.textContent = v === undefined || v === null || v === '' ? '–' : String(v);
}

function sessionIdOf(url) {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).pop() || '';
  } catch {
    return '';
  }
}

// Tracking responses reach the Tracking JSON panel as the plugin polled them.
const observer = observeFetches((status, body) => tracking.polled(status, body));
const { pageFetch } = observer;
const tracking = createTrackingPanel($('tracking'), $('tracking-sum'), (json) => {
  onscreen.setTracking(json);
  timeline.setTracking(json);
  creatives.tracking(json);
});
const faultForm = createFaultForm($('faults'), $('faults-apply'), {
  fetch: pageFetch,
  onApplied: (body, status) => events.add('faults', { ...body, status }),
});
const endpointRow = createEndpointRow({ toggle: $('endpoint-toggle'), box: $('endpoint-box'), error: $('endpoint-err') });

function readForm() {
  const f = new FormData(form);
  let adsParams = {};
  const raw = $('ads-params').value.trim();
  if (raw) {
    adsParams = JSON.parse(raw); // caller shows the error
    if (!adsParams || typeof adsParams !== 'object' || Array.isArray(adsParams)) throw new Error('adsParams must be a JSON object');
  }
  return {
    format: f.get('format'),
    kind: f.get('kind'),
    player: f.get('player'),
    scenario: f.get('scenario'),
    noSkip: f.get('noSkip'),
    reportingMode: f.get('reportingMode') === 'server' ? 'server' : 'client',
    // ts is HLS only (syncPlayer keeps it off DASH); bf serves both.
    media: f.get('format') === 'dash' && f.get('media') === 'ts' ? '' : f.get('media') || '',
    omid: f.get('omid') || '',
    rate: Number(f.get('rate')) || 1,
    adsParams,
    endpoint: String(f.get('endpoint') || '').trim(),
    manifestUrl: String(f.get('manifestUrl') || '').trim(),
    trackingUrl: String(f.get('trackingUrl') || '').trim(),
  };
}

// queryNote is what the page's link asked for and did not get. It is said
// whole on a line of the header (the status pill's slot is narrow, and it
// cut the sentence to "DASH vod · dash · …"), while the runs it concerns
// play, the pill in the warning tone.
let queryNote = '';

function showNote(text) {
  const p = $('qa-note');
  p.textContent = text ? `⚠ ${text}` : '';
  p.hidden = !text;
}

function applyQuery() {
  const q = new URLSearchParams(location.search);
  for (const k of ['format', 'kind']) {
    const v = q.get(k);
    const r = v && form.querySelector(`input[name="${k}"][value="${v}"]`);
    if (r) r.checked = true;
  }
  for (const k of ['player', 'scenario', 'noSkip', 'reportingMode', 'media', 'omid', 'rate']) {
    const v = q.get(k);
    const s = form.elements[k];
    if (v && s && [...s.options].some((o) => (o.value || o.text) === v)) s.value = v;
  }
  // A link asking for a variant the format has no copy of says so: the
  // page plays the default media instead (syncMedia).
  if (q.get('format') === 'dash' && q.get('media') === 'ts') {
    queryNote = 'media=ts is HLS only: DASH plays the default media (bf has B-frames on DASH)';
    showNote(queryNote);
  }
  if (q.get('adsParams')) $('ads-params').value = q.get('adsParams');
  for (const k of ['endpoint', 'manifestUrl', 'trackingUrl']) {
    if (q.get(k)) {
      form.elements[k].value = q.get(k);
      endpointRow.open(true);
    }
  }
  endpointRow.filled();
  return q.get('autostart') === '1';
}

// The player follows the format unless the user picked one that can play it.
function syncPlayer() {
  const fmt = form.elements.format.value;
  const sel = form.elements.player;
  if (fmt === 'dash' && sel.value === 'hls') sel.value = 'dash';
  if (fmt === 'hls' && sel.value === 'dash') sel.value = 'hls';
  syncMedia();
}

// The emulator's TS variant is HLS only; its fMP4 B-frame variant (bf)
// plays on HLS and DASH.
function syncMedia() {
  const media = form.elements.media;
  const dash = form.elements.format.value === 'dash';
  const ts = [...media.options].find((o) => o.value === 'ts');
  if (ts) ts.disabled = dash;
  if (dash && media.value === 'ts') media.value = '';
}
form.addEventListener('change', (e) => {
  if (e.target.name === 'format') syncPlayer();
});

// showSnippet writes the copy-paste <availkit-player> embed for the current
// configuration, so QA can hand a CMS editor exactly what they tested. It
// names the minified element, as the README's serving table does (the QA
// page is served from dist/, where it sits beside it).
function showSnippet(cfg, sessionInitUrl) {
  $('snippet').textContent = embedSnippet({
    scriptUrl: new URL('../element/availkit-player.min.js', import.meta.url).href,
    sessionInitUrl,
    adsParams: { ...cfg.adsParams, scenario: cfg.scenario },
    noSkip: cfg.noSkip,
    engine: cfg.format === 'dash' ? 'dash' : 'hls',
    controls: true,
    muted: true,
    autoplay: true,
    companionSlots: [
      { width: 300, height: 250, adSlotId: 'side' },
      { width: 728, height: 90, adSlotId: 'banner' },
    ],
  });
}

$('snippet-copy').addEventListener('click', () => {
  navigator.clipboard?.writeText($('snippet').textContent).catch(() => { /* clipboard refused: select the text by hand */ });
});

async function start(ev) {
  ev?.preventDefault();
  await stop();
  let cfg;
  try {
    cfg = readForm();
    $('ads-params-err').textContent = '';
  } catch (e) {
    $('ads-params-err').textContent = `adsParams: ${e.message}`;
    return;
  }
  let dest;
  try {
    dest = runTarget(cfg, { account: ACCOUNT, origin: ORIGIN });
    endpointRow.refused('');
  } catch (e) {
    events.reset();
    status.reset();
    endpointRow.refused(e.message);
    pageError('bad endpoint', { kind: 'config', message: e.message });
    return;
  }
  // The URL names the format; the player follows it as for the radio.
  if (dest.format !== cfg.format) {
    cfg.format = dest.format;
    form.elements.format.value = dest.format;
    syncPlayer();
    cfg.player = form.elements.player.value;
  }
  if (cfg.player === 'native') {
    const gap = nativeGap(video, cfg.format);
    if (gap) {
      events.reset();
      status.reset();
      pageError(`native ${cfg.format.toUpperCase()} unsupported`, { kind: 'player', message: gap });
      info('state', 'not started');
      info('player', `native: ${gap}`);
      return;
    }
  }
  linkRun(form, $('ads-params'), cfg);
  // The embed snippet starts its own session: only a session-init URL can
  // be handed on.
  if (dest.opts.sessionInitUrl) showSnippet(cfg, dest.opts.sessionInitUrl);
  else $('snippet').textContent = '';
  status.reset();
  status.set('starting…', 'busy');
  beacons.reset();
  events.reset();
  rich.reset();
  timeline.reset();
  timeline.setLive(cfg.kind === 'live');
  tracking.reset();
  observer.clear();
  // A session made elsewhere is polled at the URL given; one started here
  // at the URL its init reply names (known before the first poll).
  observer.watch(dest.opts.trackingUrl || '');
  creatives.reset();

  const t0 = performance.now();
  let session;
  try {
    if (!kitPromise) kitPromise = AvailKit.load();
    const kit = await kitPromise;
    session = await kit.createSession({
      ...dest.opts,
      video,
      container: $('adui'),
      companionSlots: [
        { element: $('slot-side'), width: 300, height: 250, adSlotId: 'side' },
        { element: $('slot-banner'), width: 728, height: 90, adSlotId: 'banner' },
      ],
      noSkip: cfg.noSkip,
      ...(cfg.reportingMode === 'server' ? { reportingMode: 'server' } : {}),
      ...(cfg.omid === 'recorder' ? { omid: recorderService((availId, adId, type) => rich.omEvent(availId, adId, type)) } : {}),
    });
  } catch (e) {
    kitPromise = e && e.kind === 'load' ? null : kitPromise;
    pageError(`init failed: ${e.kind || e.name || 'error'}`, { kind: e.kind || 'init', source: 'init', message: e.message });
    return;
  }
  const loadMs = performance.now() - t0;
  observer.watch(session.trackingUrl);
  const id = session.sessionId || sessionIdOf(session.trackingUrl);
  // Collector column and fault knobs only where an emulator answers.
  const collectorBase = (await probeCollector(pageFetch, dest.origin)) ? dest.origin : '';
  document.body.dataset.endpoint = collectorBase ? 'emulator' : 'remote';
  beacons.setCollector(!!collectorBase);
  info('endpoint', collectorBase ? `${dest.label} (collector, faults)` : `${dest.label} (no collector: beacons as the plugin saw them)`);
  info('id', id);
  info('manifest', session.manifestUrl);
  info('tracking', session.trackingUrl);
  info('player', cfg.player);
  info('live', dest.remote ? 'as the player reports' : cfg.kind === 'live' ? 'yes' : 'no (VOD)');
  info('load', `${loadMs.toFixed(0)} ms (wasm + session init)`);
  info('state', 'content');

  const handlers = {};
  for (const name of PLAYER_EVENTS) {
    handlers[name] = (e) => onSessionEvent(name, e.detail || {});
    session.addEventListener(name, handlers[name]);
  }

  // Frames are read from the first one: a pre-roll's first frame comes
  // before the first tracking response.
  onscreen.start(() => session.currentTime);
  let p;
  try {
    p = await createPlayer(video, cfg.player, session.manifestUrl);
    session.attach(p.player);
  } catch (e) {
    pageError('player failed', { kind: 'player', message: e.message });
  }
  // A player that cannot decode what it was given says so on the element.
  const onVideoError = () => {
    const err = video.error;
    if (!err || !run || run.session !== session) return;
    status.error({ kind: 'video', source: 'player', status: 0, message: `MediaError ${err.code}: ${err.message || 'media not playable'}` }, `video error ${err.code}`);
    info('state', `video error ${err.code}: ${err.message || 'media not playable'}`);
  };
  video.addEventListener('error', onVideoError);
  video.playbackRate = cfg.rate;
  const onRate = () => {
    if (video.playbackRate !== cfg.rate) video.playbackRate = cfg.rate;
  };
  video.addEventListener('loadeddata', onRate);
  // dash.js was initialised with autoplay and starts playback itself.
  if (cfg.player !== 'dash') video.play().catch(() => {});

  const collector = collectorBase ? setInterval(() => pollCollector(collectorBase, id), 1000) : 0;
  const tick = setInterval(() => paintClock(session, cfg.format), 250);
  $('stop').disabled = false;
  if (collectorBase) faultForm.attach(collectorBase, id, session);
  const running = `${cfg.format.toUpperCase()} ${cfg.kind} · ${cfg.player}`;
  const noted = queryNote && cfg.format === 'dash' && !cfg.media;
  showNote(noted ? queryNote : '');
  status.set(running, noted ? 'warn' : 'ok');

  stats.show(session);
  run = {
    session,
    id,
    async stop() {
      stats.stop();
      onscreen.stop();
      clearInterval(collector);
      clearInterval(tick);
      video.removeEventListener('loadeddata', onRate);
      video.removeEventListener('error', onVideoError);
      for (const name of PLAYER_EVENTS) session.removeEventListener(name, handlers[name]);
      session.destroy();
      try {
        p?.destroy();
      } catch {
        // a player that failed half way may throw on destroy
      }
      if (collectorBase) await pollCollector(collectorBase, id);
    },
  };
  window.__qa = { session, id, beacons, events, timeline, stats, onscreen, rich, status };
}

async function stop() {
  if (!run) return;
  const r = run;
  run = null;
  await r.stop();
  $('stop').disabled = true;
  faultForm.detach();
  info('state', 'stopped');
  status.set('stopped', 'idle');
}

function onSessionEvent(name, d) {
  events.add(name, d);
  const s = run && run.session;
  switch (name) {
    case 'beacon':
    case 'beaconerror': {
      const sentAt = observer.sent(d.url);
      beacons.fired(name, d, sentAt);
      timeline.fired(d, name === 'beaconerror');
      if (name === 'beacon') rich.beacon(d);
      // A beacon that could not be sent is lost to the ad server: the pill
      // counts it with the other errors, the list says where it went and
      // how often it was tried.
      else status.error(beaconFailure(d), `${d.eventType} beacon failed`);
      break;
    }
    case 'simidstate':
      rich.simidstate(d);
      break;
    case 'verification':
      rich.verification(d);
      break;
    case 'adstart':
      rich.adstart(d);
      info('state', 'ad');
      info('ad', `${d.index ?? '?'} of ${d.count ?? '?'} · ${d.adId ?? ''} ${d.duration ? `(${Number(d.duration).toFixed(1)} s)` : ''}`);
      break;
    case 'adend':
      // Live breaks end in slate after their last ad.
      info('state', 'break');
      info('ad', '');
      break;
    case 'adbreakend':
      info('state', 'content');
      info('ad', '');
      if (s) timeline.setMarkers(safe(() => s.markers(), []));
      break;
    case 'trackingupdate':
    case 'ready': {
      // A poll answered after failed ones: tracking works again.
      const back = name === 'trackingupdate' && status.recovered('tracking');
      if (back) events.add('recovered', { source: 'tracking', errors: back.errors, downFor: back.downFor });
      // An endpoint's stream is live or not as the player found it.
      if (s && document.body.dataset.endpoint === 'remote') timeline.setLive(!!s.live);
      if (s) {
        timeline.setMarkers(safe(() => s.markers(), []));
      }
      break;
    }
    case 'error':
      status.error(d);
      break;
    default:
  }
}

function safe(fn, dflt) {
  try {
    return fn();
  } catch {
    return dflt;
  }
}

let shownClock = '';
function paintClock(session, format) {
  const t = typeof session.currentTime === 'number' ? session.currentTime : video.currentTime;
  const settled = video.readyState >= 2 && !video.seeking;
  timeline.setPlayhead(t, session.duration ?? video.duration, settled);
  const { live, origin, wallOffset } = timeline.state;
  // The beacon log's live times read from the origin and wall clock: repaint
  // them once these are known; rows awaiting their frame on every tick.
  const clockKey = `${live}|${origin}|${wallOffset}`;
  if (clockKey !== shownClock) {
    shownClock = clockKey;
    const liveText = live && Number.isFinite(origin);
    $('th-scheduled').textContent = liveText ? 'scheduled' : 'scheduled s';
    $('th-playhead').textContent = liveText ? 'playhead' : 'playhead s';
    beacons.refresh();
  } else if (beacons.pending) {
    beacons.refresh({ pending: true });
  }
  // Live session time can be huge (DASH: seconds since availabilityStartTime):
  // the playhead reads as time since start, the raw clock says what it counts from.
  info('playhead', playheadText({ t, duration: session.duration ?? video.duration, live, reading: timeline.timeText(t), paused: video.paused }));
  info('clock', sessionClockText({ t, media: video.currentTime, format, live, ast: timeline.state.ast }));
}

let polling = false;
async function pollCollector(base, id) {
  if (!id || polling) return;
  polling = true;
  try {
    const r = await pageFetch(`${base}/debug/sessions/${encodeURIComponent(id)}/beacons`, { cache: 'no-store' });
    if (r.ok) beacons.received(await r.json());
  } catch {
    // collector unreachable: the rows stay "pending"
  } finally {
    polling = false;
  }
}

// The inspector fetches with the page's own fetch: its requests are not the
// plugin's and must not feed the Tracking JSON panel.
const inspector = createInspectPanel({
  form: $('insp-form'), input: $('insp-input'), live: $('insp-live'), exportBtn: $('insp-export'), summary: $('insp-sum'),
  error: $('insp-error'), findings: $('insp-findings').tBodies[0], timeline: $('insp-timeline'),
  schedule: $('insp-schedule').tBodies[0], drop: $('insp-form'),
}, { fetch: pageFetch });
window.__qaInspect = inspector;
$('insp-current').addEventListener('click', () => {
  const url = run && run.session.trackingUrl;
  if (!url) return;
  $('insp-input').value = url;
  inspector.run(url);
});

form.addEventListener('submit', start);
$('stop').addEventListener('click', stop);
window.addEventListener('pagehide', () => {
  stop();
});

syncPlayer();
const auto = applyQuery();
// A link naming only the format (?format=dash) gets that format's player.
syncPlayer();
if (auto) start();
