import { useApp } from '../../store/context';
import { useCloudStatus } from '../setup/use-cloud-status';

/**
 * The app's API key is saved unencrypted (no keyring, and the user chose so): said plainly wherever the key is shown,
 * with the way back to keeping it for the session only. Never called "protected".
 */
export function PlaintextKeyWarning() {
  const { api, actions } = useApp();
  const status = useCloudStatus();
  const key = status?.key;
  if (!key || key.state !== 'stored' || key.protection !== 'plaintext') return null;
  return (
    <div className="notice notice-warn" role="alert" data-testid="plaintext-key-warning">
      <p style={{ margin: 0 }}>
        ⚠ The API key <span className="mono">{key.mask}</span> is stored in <strong>plaintext</strong>: this computer has no keyring, so it is saved unencrypted in the app&apos;s
        settings file, as you chose. Anyone who can read that file can use the key. Install and unlock a keyring (GNOME Keyring or KWallet) and restart the app to encrypt it.
      </p>
      <button
        type="button"
        className="btn btn-quiet"
        style={{ marginTop: 8 }}
        onClick={() => void actions.attempt(() => api.call('keys.allowWeakStorage', { allow: false }))}
        data-testid="plaintext-key-stop"
      >
        Stop storing it (keep it for this session only)
      </button>
    </div>
  );
}
