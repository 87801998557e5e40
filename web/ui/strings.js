// Default English strings of the ad UI. Hosts localise by passing a partial
// object with the same keys to createAdOverlay({strings}); {name} slots are
// filled by format().

export const defaultStrings = {
  region: 'Advertisement',
  adOf: 'Ad {index} of {count}',
  adSingle: 'Ad',
  adBreak: 'Ad break',
  separator: ' · ',
  skip: 'Skip ad',
  skipIn: 'Skip in {s}',
  skipLabel: 'Skip this ad',
  skipInLabel: 'You can skip this ad in {s} seconds',
  learnMore: 'Learn more',
  learnMoreLabel: 'Learn more about this ad (opens a new window)',
  upcoming: 'Ad break in {s}',
  resumeAfter: 'Ads first · your video continues at {time}',
  seekBar: 'Seek',
  seekValue: '{time} of {duration}',
  marker: 'Ad break at {time}',
  markerWatched: 'Watched ad break at {time}',
};

// format fills {name} slots of tpl from values; unknown slots stay visible so
// a translation mistake shows up on screen instead of vanishing.
export function format(tpl, values) {
  return String(tpl).replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

// clock formats seconds as m:ss (h:mm:ss from an hour), rounding up so that
// a countdown shows 0:01 until the very end rather than 0:00 for a second.
export function clock(sec, up = false) {
  if (!Number.isFinite(sec) || sec < 0) sec = 0;
  const s = up ? Math.ceil(sec - 1e-3) : Math.floor(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
