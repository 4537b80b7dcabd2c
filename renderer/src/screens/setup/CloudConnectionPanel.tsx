import { useState } from 'react';
import { useApp } from '../../store/context';
import { navigate } from '../../store/use-route';
import { PlaintextKeyWarning } from '../keys/PlaintextKeyWarning';
import { formatDate, warnStyle } from './ui';
import { useCloudStatus } from './use-cloud-status';

/** Settings → Cloud connection: how the key is held (mask only), the account, setup again, forget. */
export function CloudConnectionPanel() {
  const { api, actions } = useApp();
  const status = useCloudStatus();
  const [confirmForget, setConfirmForget] = useState(false);
  if (status === null) return null;
  const key = status.key;

  const keyLine =
    key.state === 'none'
      ? 'No API key: the app works offline.'
      : key.state === 'needs-reentry'
        ? key.message
        : key.state === 'stored'
          ? key.protection === 'encrypted'
            ? `Saved, encrypted by the system keychain (${key.backend}).`
            : 'Saved in plaintext (unencrypted; no keyring), as you chose.'
          : key.message;

  return (
    <div className="panel" data-testid="cloud-panel">
      <h2>Cloud connection</h2>
      <dl className="facts">
        <dt>API key</dt>
        <dd>
          {'mask' in key && (
            <span className="mono" data-testid="cloud-key-mask">
              {key.mask}{' '}
            </span>
          )}
          <span data-testid="cloud-key-state" data-state={key.state}>
            {keyLine}
          </span>
        </dd>
        {status.account && (
          <>
            <dt>Organization</dt>
            <dd>{status.account.organization}</dd>
            <dt>Key name</dt>
            <dd>
              {status.account.keyName} · <span className="mono">{status.account.scopes.join(', ')}</span> · checked {formatDate(status.account.checkedAt)}
            </dd>
          </>
        )}
        <dt>Server</dt>
        <dd className="mono">{status.baseUrl}</dd>
      </dl>
      {status.problems.map((p) => (
        <p key={p} className="notice" style={warnStyle}>
          {p}
        </p>
      ))}
      <PlaintextKeyWarning />
      <div className="row" style={{ gap: 8, marginTop: 12 }}>
        <button type="button" className="btn" onClick={() => navigate({ name: 'setup' })}>
          Run setup again
        </button>
        {(key.state === 'stored' || key.state === 'session-only' || key.state === 'needs-reentry') &&
          (confirmForget ? (
            <>
              <span>Remove the key from this app? The key itself stays valid in AutoPrintFarm.</span>
              <button
                type="button"
                className="btn btn-danger"
                onClick={() =>
                  void actions.attempt(async () => {
                    await api.call('keys.forget');
                    setConfirmForget(false);
                  })
                }
              >
                Forget key
              </button>
              <button type="button" className="btn btn-quiet" onClick={() => setConfirmForget(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-quiet" onClick={() => setConfirmForget(true)}>
              Forget key…
            </button>
          ))}
      </div>
    </div>
  );
}
