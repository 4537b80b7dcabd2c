import { useCallback, useEffect, useState } from 'react';
import type { AdminAccess, CreatedKeyResult, ManagedKey } from '../../../../electron/core/contract/keys-types';
import { useApp, useAppState } from '../../store/context';
import { AdminKeyPrompt } from './AdminKeyPrompt';
import { CreateKeyDialog } from './CreateKeyDialog';
import { KeyTable } from './KeyTable';
import { PlaintextKeyWarning } from './PlaintextKeyWarning';
import { RevokeDialog } from './RevokeDialog';
import { RollDialog } from './RollDialog';
import { ShowOnceDialog } from './ShowOnceDialog';

type Open =
  { kind: 'none' } | { kind: 'create' } | { kind: 'roll'; key: ManagedKey } | { kind: 'revoke'; key: ManagedKey } | { kind: 'show'; name: string; secret: string; message: string };

/** Key administration. Needs admin:*: the app's key if it has it, else an admin key for this session only. */
export function KeysScreen() {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [access, setAccess] = useState<AdminAccess | null>(null);
  const [keys, setKeys] = useState<ManagedKey[] | null>(null);
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const [unreachable, setUnreachable] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    let a: AdminAccess;
    try {
      a = await api.call('keys.admin.access');
      setUnreachable(null);
    } catch (err) {
      // Usually the cloud is offline; the screen says so instead of staying empty.
      setUnreachable(err instanceof Error ? err.message : String(err));
      return;
    }
    setAccess(a);
    if (!a.ok) {
      setKeys(null);
      return;
    }
    const list = await actions.attempt(() => api.call('keys.list'));
    if (list) setKeys(list.keys);
  }, [api, actions]);

  useEffect(() => {
    if (connected) void refresh();
  }, [connected, refresh]);

  const afterCreate = (r: CreatedKeyResult) => {
    // The secret goes to the show-once dialog's state only, and is dropped when it closes.
    if (r.secret !== null) setOpen({ kind: 'show', name: r.key.name, secret: r.secret, message: r.message });
    else {
      setOpen({ kind: 'none' });
      setNotice(r.message);
    }
    void refresh();
  };

  return (
    <section className="screen" aria-labelledby="keys-title">
      <header className="screen-head">
        <h1 id="keys-title">API keys</h1>
        {access?.ok && (
          <button type="button" className="btn" onClick={() => setOpen({ kind: 'create' })}>
            Create key
          </button>
        )}
      </header>
      {access?.ok && (
        <p className="muted" data-testid="admin-via">
          {access.via === 'app_key' ? (
            <>
              Managing keys with this app's admin key <span className="mono">{access.mask}</span>.
            </>
          ) : (
            <>
              Managing keys with the admin key <span className="mono">{access.mask}</span>, for this session only (not saved).{' '}
              <button type="button" className="btn btn-quiet" onClick={() => void actions.attempt(() => api.call('keys.admin.dropSessionKey')).then(() => refresh())}>
                Forget it now
              </button>
            </>
          )}{' '}
          Rotate keys every 90 days; revoke keys nobody uses.
        </p>
      )}
      <PlaintextKeyWarning />
      {notice && (
        <p className="notice" role="status" data-testid="keys-notice">
          {notice}
        </p>
      )}
      {unreachable && (
        <div className="notice" role="status" data-testid="keys-unreachable">
          <p style={{ margin: 0 }}>{unreachable}</p>
          <p style={{ margin: '6px 0 0' }}>Keys can be managed once AutoPrintFarm is reachable again. Everything on this computer keeps working.</p>
          <button type="button" className="btn btn-quiet" style={{ marginTop: 8 }} onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      )}
      {access && !access.ok && <AdminKeyPrompt denied={access} onGranted={() => void refresh()} />}
      {access?.ok && keys && <KeyTable keys={keys} onRoll={(key) => setOpen({ kind: 'roll', key })} onRevoke={(key) => setOpen({ kind: 'revoke', key })} />}

      {open.kind === 'create' && <CreateKeyDialog onClose={() => setOpen({ kind: 'none' })} onCreated={afterCreate} />}
      {open.kind === 'roll' && <RollDialog target={open.key} onClose={() => setOpen({ kind: 'none' })} onRolled={afterCreate} />}
      {open.kind === 'revoke' && (
        <RevokeDialog
          target={open.key}
          onClose={() => setOpen({ kind: 'none' })}
          onRevoked={(r) => {
            setOpen({ kind: 'none' });
            setNotice(r.message);
            void refresh();
          }}
        />
      )}
      {open.kind === 'show' && <ShowOnceDialog name={open.name} secret={open.secret} message={open.message} onClose={() => setOpen({ kind: 'none' })} />}
    </section>
  );
}
