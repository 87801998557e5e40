// errors.js is the error a failed createSession rejects with.

/**
 * AvailKitError carries an `error` event's detail on a thrown Error:
 * kind (see ErrorDetail in availkit.d.ts), source, status (the HTTP status,
 * 0 when none) and message (MediaTailor's message when it sent one).
 */
export class AvailKitError extends Error {
  constructor({ kind = 'internal', source = '', status = 0, message = '' } = {}) {
    super(message ? `availkit: ${message}` : `availkit: ${kind} error`);
    this.name = 'AvailKitError';
    this.kind = kind;
    this.source = source;
    this.status = status;
    this.detail = { kind, source, status, message };
  }
}
