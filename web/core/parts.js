// parts.js destroys the optional pieces a Session mounted (mount.js
// creates them). It is all session.js needs of them, so the mounting code
// stays out of the modules a page fetches to start a session.

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
