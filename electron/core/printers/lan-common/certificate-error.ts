import { AppError } from '../../errors';
import type { CertificateProblem } from '../model';

/**
 * The app refused a printer's TLS certificate before sending it anything. Like a refused key, retrying cannot
 * help: the user checks the fingerprint and trusts it, or finds out who answered at that address.
 */
export class CertificateError extends AppError {
  constructor(
    readonly certificate: CertificateProblem,
    message: string,
  ) {
    super('printer_offline', message, { certificate });
    this.name = 'CertificateError';
  }
}
