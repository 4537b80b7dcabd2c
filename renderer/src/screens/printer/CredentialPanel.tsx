import { useState, type FormEvent } from 'react';
import type { CredentialProblem } from '../../../../electron/core/printers/model';
import { useApp } from '../../store/context';
import { credentialExplanation } from './credential-text';
import { useFormAction } from '../../components/use-form-action';

/**
 * Shown when a network printer cannot sign in: its key was not kept past the last session, or the printer
 * refused it. The key goes to the core once; only a mask comes back.
 */
export function CredentialPanel({ printerId, credential }: { printerId: string; credential: CredentialProblem }) {
  const { api, actions } = useApp();
  const [secret, setSecret] = useState('');
  const { busy, error, setError, run } = useFormAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!secret.trim()) return setError(`Enter the ${credential.what}.`);
    await run(async () => {
      const result = await api.call('printers.updateCredential', { printerId, secret: secret.trim() });
      setSecret('');
      actions.toast('info', `${result.printer.name}: ${credential.what} saved (${result.mask}). Connecting…`);
      if (result.credential.protection === 'session-only' && result.credential.message) actions.toast('error', result.credential.message);
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
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
