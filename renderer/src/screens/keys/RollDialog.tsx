import { useState } from 'react';
import type { CreatedKeyResult, ManagedKey } from '../../../../electron/core/contract/keys-types';
import { useApp } from '../../store/context';
import { Dialog } from '../setup/ui';

export function RollDialog({ target, onClose, onRolled }: { target: ManagedKey; onClose: () => void; onRolled: (r: CreatedKeyResult) => void }) {
  const { api, actions } = useApp();
  const [busy, setBusy] = useState(false);
  const roll = async () => {
    setBusy(true);
    const rolled = await actions.attempt(() => api.call('keys.roll', { id: target.id }));
    setBusy(false);
    if (rolled) onRolled(rolled);
  };
  return (
    <Dialog title={`Roll “${target.name}”`} onClose={onClose} busy={busy} testId="roll-dialog">
      <p style={{ margin: 0 }}>
        Rolling creates a new key with the same name and permissions. The old key keeps working for <strong>24 hours</strong>, so whatever uses it can switch without downtime;
        after that it stops working.
      </p>
      {target.isAppKey ? (
        <p className="notice">This is the key this app uses. The app checks the new key and switches to it by itself; you do not need to copy anything.</p>
      ) : (
        <p className="notice">The new key is shown once, right after rolling. Put it wherever the old key is used within 24 hours.</p>
      )}
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn" onClick={() => void roll()} disabled={busy}>
          Roll key
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
