import { useState } from 'react';
import type { ManagedKey, RevokeResult } from '../../../../electron/core/contract/keys-types';
import { useApp } from '../../store/context';
import { Dialog, inputStyle, warnStyle } from '../setup/ui';

/** Revoking is immediate and cannot be undone, so the user types the key's name first. */
export function RevokeDialog({ target, onClose, onRevoked }: { target: ManagedKey; onClose: () => void; onRevoked: (r: RevokeResult) => void }) {
  const { api, actions } = useApp();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const matches = typed.trim() === target.name;
  const revoke = async () => {
    setBusy(true);
    const done = await actions.attempt(() => api.call('keys.revoke', { id: target.id, confirmName: typed, ...(target.isAppKey ? { replace: true } : {}) }));
    setBusy(false);
    if (done) onRevoked(done);
  };
  return (
    <Dialog title={`Revoke “${target.name}”`} onClose={onClose} busy={busy} testId="revoke-dialog">
      <p style={{ margin: 0 }}>The key stops working at once, everywhere it is used. This cannot be undone.</p>
      {target.isAppKey && (
        <p className="notice" style={warnStyle}>
          This is the key this app uses. The app will not revoke it alone: it first creates a replacement with the same name and permissions, switches to it, and only then revokes
          this one. Other places that use this key will stop working.
        </p>
      )}
      <label htmlFor="revoke-confirm">
        Type <strong className="mono">{target.name}</strong> to confirm
      </label>
      <input id="revoke-confirm" type="text" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} style={inputStyle} />
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn btn-danger" onClick={() => void revoke()} disabled={busy || !matches}>
          {target.isAppKey ? 'Replace and revoke' : 'Revoke key'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
