import { CredentialError } from '../credentials/credential-error';
import { AppError } from '../errors';

/**
 * What a printer's refusal means for the work that met it, decided in one place for every driver:
 * - `permanent`: asking again gets the same answer (a name the server forbids, a file it cannot take, a
 *   protocol that cannot do it): the job fails with the server's own reason;
 * - `needs-key`: the printer refused its key; nothing is retried until the user enters it again;
 * - `transient`: it may work in a moment (busy, finishing, offline, a timeout, a 5xx): retried with backoff,
 *   saying why.
 */
export type FailureClass = { kind: 'permanent' | 'needs-key' | 'transient'; reason: string };

/** HTTP answers that mean "this request, as it is, will never be accepted". */
const PERMANENT_HTTP = new Set([400, 404, 405, 410, 411, 413, 414, 415, 422]);
/** FTP replies that mean the same for an upload (RFC 959: 5xx permanent; 550/553 file name or access). */
const isPermanentFtp = (code: number) => code >= 500 && code < 600;

export function classifyFailure(err: unknown): FailureClass {
  // One sentence with one full stop, to go inside longer messages.
  const reason = `${(err instanceof Error ? err.message : String(err)).trim().replace(/[.\s]+$/, '')}.`;
  if (err instanceof CredentialError) return { kind: 'needs-key', reason };
  if (!(err instanceof AppError)) return { kind: 'transient', reason };
  switch (err.code) {
    case 'invalid_input':
    case 'unsupported':
    case 'not_found':
    case 'forbidden':
      return { kind: 'permanent', reason };
    case 'printer_error': {
      const details = (err.details ?? {}) as { httpStatus?: number; ftpCode?: number };
      if (details.httpStatus !== undefined && PERMANENT_HTTP.has(details.httpStatus)) return { kind: 'permanent', reason };
      if (details.ftpCode !== undefined && isPermanentFtp(details.ftpCode)) return { kind: 'permanent', reason };
      return { kind: 'transient', reason };
    }
    default:
      return { kind: 'transient', reason };
  }
}
