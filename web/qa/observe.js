// The QA page observes the plugin's fetches instead of fetching a second
// time (which would change what the emulator's live fill and paging hand
// out): each tracking response as the plugin polled it, for the Tracking
// JSON panel, and the moment each beacon request (a no-cors fetch) left,
// for the beacon log's "collector ms" and "on screen" columns.
//
// A tracking poll is told by the run's tracking URL, not by its path: a
// host may serve MediaTailor behind CloudFront or its own domain under any
// prefix, where the URL has no /v1/tracking/ in it. The plugin polls that
// URL with nextToken added, so the query is not compared.

const SENT_CAP = 500;

// resourceOf is url's origin and path, '' when it is not a URL.
export function resourceOf(url) {
  try {
    const u = new URL(url, globalThis.location?.href);
    return u.origin + u.pathname;
  } catch {
    return '';
  }
}

// observeFetches wraps globalThis.fetch; onTracking(status, body) receives
// each response to the watched tracking URL. pageFetch is the page's own,
// unobserved fetch (collector, faults, the inspector).
export function observeFetches(onTracking) {
  const pageFetch = globalThis.fetch.bind(globalThis);
  const sentAt = new Map(); // url → ms epoch
  let tracking = '';
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input && input.url;
    if (url && init && init.mode === 'no-cors') {
      sentAt.set(url, Date.now());
      if (sentAt.size > SENT_CAP) sentAt.delete(sentAt.keys().next().value);
    }
    const res = await pageFetch(input, init);
    if (url && tracking && resourceOf(url) === tracking) {
      res.clone().text().then((body) => onTracking(res.status, body), () => {});
    }
    return res;
  };
  return {
    pageFetch,
    // watch names the run's tracking URL ('' for none yet).
    watch(trackingUrl) {
      tracking = trackingUrl ? resourceOf(trackingUrl) : '';
    },
    // sent returns when the beacon request for url left, and forgets it.
    sent(url) {
      const t = sentAt.get(url);
      sentAt.delete(url);
      return t;
    },
    clear() {
      sentAt.clear();
      tracking = '';
    },
  };
}
