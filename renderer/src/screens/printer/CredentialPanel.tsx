import { useState, type FormEvent } from 'react';
import type { CredentialProblem } from '../../../../electron/core/printers/model';
import { useApp } from '../../store/context';
import { credentialExplanation } from './credential-text';
import { useFormAction } from '../../components/use-form-action';
import type { PrinterView } from '../../../../electron/core/contract';

type CredentialStorage = NonNullable<PrinterView['credentialStorage']>;

/** The printer's key is saved unencrypted, as the user chose: said plainly on its page, never as "protected". */
export function PlaintextCredentialWarning({ what }: { what: string }) {
  return (
    <p className="notice notice-warn" role="alert" data-testid="plaintext-credential-warning">
      ⚠ This printer&apos;s {what} is stored in <strong>plaintext</strong>: this computer has no keyring, so it is saved unencrypted in the app&apos;s settings file, as you chose.
      Anyone who can read that file can use it. Install and unlock a keyring and enter it again to encrypt it.
    </p>
  );
}

/**
 * Shown when a network printer cannot sign in: its key was not kept past the last session, or the printer
 * refused it. The key goes to the core once; only a mask comes back.
 */
export function CredentialPanel({ printerId, credential, storage }: { printerId: string; credential: CredentialProblem; storage?: CredentialStorage | undefined }) {
  const { api, actions } = useApp();
  const [secret, setSecret] = useState('');
  const [storePlaintext, setStorePlaintext] = useState(false);
  const { busy, error, setError, run } = useFormAction();
  // Not held past the last session: likely no keyring here, so the user may choose plaintext for this one secret.
  const offerPlaintext = storage === 'missing' || storage === 'session-only';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!secret.trim()) return setError(`Enter the ${credential.what}.`);
    await run(async () => {
      const result = await api.call('printers.updateCredential', { printerId, secret: secret.trim(), ...(storePlaintext ? { storePlaintext: true } : {}) });
      setSecret('');
      actions.toast('info', `${result.printer.name}: ${credential.what} saved (${result.mask}). Connecting…`);
      if (result.credential.protection !== 'encrypted' && result.credential.message) actions.toast('error', result.credential.message);
    });
  };

  return (
    <div className="panel credential-panel" data-testid="credential-panel" data-problem={credential.problem}>
      <h2>{credential.problem === 'missing' ? `Enter the ${credential.what} again` : `The printer refused the ${credential.what}`}</h2>
      <p>{credentialExplanation(credential)}</p>
      <form className="row" onSubmit={(e) => void submit(e)} noValidate>
        <label className="sr-only" htmlFor="credential-input">
          {credential.what}
        </label>
        <input
          id="credential-input"
          type="password"
          autoComplete="off"
          className="mono"
          placeholder={credential.what}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          data-testid="credential-input"
        />
        <button type="submit" className="btn" disabled={busy} data-testid="credential-submit">
          {busy ? 'Saving…' : 'Save and connect'}
        </button>
      </form>
      {offerPlaintext && (
        <label className="choice" style={{ marginTop: 8, display: 'flex', gap: 8 }}>
          <input type="checkbox" checked={storePlaintext} onChange={(e) => setStorePlaintext(e.target.checked)} disabled={busy} data-testid="credential-plaintext" />
          If this computer has no keyring, store the {credential.what} in plaintext: unencrypted in the app&apos;s settings file, where anyone who can read that file could use it.
          Otherwise it is kept only until the app quits.
        </label>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
