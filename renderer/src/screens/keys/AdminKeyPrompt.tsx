import { useState, type FormEvent } from 'react';
import type { AdminAccess } from '../../../../electron/core/contract/keys-types';
import { useApp } from '../../store/context';
import { inputStyle, stack } from '../setup/ui';

/** Asks for an admin key for this session only; the core checks it and never stores it. */
export function AdminKeyPrompt({ denied, onGranted }: { denied: Extract<AdminAccess, { ok: false }>; onGranted: (a: AdminAccess) => void }) {
  const { api, actions } = useApp();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const access = await actions.attempt(() => api.call('keys.admin.useSessionKey', { key }));
    setKey('');
    setBusy(false);
    if (access) onGranted(access);
  };
  return (
    <form className="panel" style={stack} onSubmit={(e) => void submit(e)} data-testid="admin-key-prompt">
      <p className="notice" data-testid="admin-needed" data-reason={denied.reason}>
        {denied.message}
      </p>
      <label htmlFor="admin-key">Admin key (admin:*), for this session only</label>
      <input id="admin-key" type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} style={inputStyle} disabled={busy} />
      <div className="row" style={{ gap: 8 }}>
        <button type="submit" className="btn" disabled={busy || key.trim() === ''}>
          Use for this session
        </button>
        {denied.reason === 'no_key' && (
          <a className="btn btn-quiet" href="#/setup">
            Run setup
          </a>
        )}
      </div>
    </form>
  );
}
