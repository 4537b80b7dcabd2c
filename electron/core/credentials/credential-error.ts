import { AppError } from '../errors';

/**
 * Why a printer cannot sign in: its key was never kept past the last session (or cannot be decrypted
 * here), or the printer refused it. Either way retrying cannot help; the user must enter it again.
 */
export type CredentialProblemKind = 'missing' | 'refused';

/** A sign-in failure the user fixes by entering the printer's key again. Its message never holds the secret. */
export class CredentialError extends AppError {
  constructor(
    readonly problem: CredentialProblemKind,
    /** What the user enters, in the printer's words: "access code", "API key", "password". */
    readonly what: string,
    message: string,
  ) {
    super('printer_offline', message);
    this.name = 'CredentialError';
  }
}

/** What to show instead of a secret: the last four characters of a long key, none of a short code. */
export function maskSecret(secret: string): string {
  return secret.length >= 16 ? `…${secret.slice(-4)}` : '•'.repeat(8);
}
