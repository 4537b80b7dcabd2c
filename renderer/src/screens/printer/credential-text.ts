import type { CredentialProblem } from '../../../../electron/core/printers/model';

/** "access code" → "Access code". */
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The one-line summary a fleet card shows for a printer that needs its key entered again. */
export function credentialHeadline(c: CredentialProblem): string {
  return c.problem === 'missing' ? `${capital(c.what)} needed: not saved on this computer` : `${capital(c.what)} refused by the printer`;
}

/** What the printer page says above the form. */
export function credentialExplanation(c: CredentialProblem): string {
  return c.problem === 'missing'
    ? `This printer's ${c.what} was not saved (this computer has no secure key storage, or could not decrypt it), so the app cannot connect after a restart. Enter it again.`
    : `The printer turned down the ${c.what} the app has. It may have changed on the printer. Enter the current one.`;
}
