import { useEffect, useState } from 'react';
import type { MaterialConflict, MaterialSyncStatus } from '../../../../electron/core/contract/material-sync-types';
import { useNow } from '../../components/use-now';
import { useApp, useAppState } from '../../store/context';
import { useCan } from '../../store/use-can';
import { conflictSentence, syncSummary } from './material-sync-text';

/** How many conflicts the strip lists; the count says how many there are in all. */
const SHOWN = 10;

/** The Spools screen's "Cloud sync" strip: whether spools sync with the cloud and why not, "Sync now", and the conflicts. */
export function MaterialSyncStrip() {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const canWrite = useCan('materials:write');
  const [status, setStatus] = useState<MaterialSyncStatus | null>(null);
  const [conflicts, setConflicts] = useState<MaterialConflict[]>([]);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  // "synced 2 min ago" moves on by itself.
  const now = useNow(30_000);

  useEffect(() => api.on('materialSync.status', setStatus), [api]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    api.call('materialSync.status').then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, connected]);
  // The list is read again whenever the count moves (a new conflict) or the strip is opened.
  const count = status?.conflicts ?? 0;
  useEffect(() => {
    if (!connected || !open || count === 0) return;
    let live = true;
    api.call('materialSync.conflicts', { limit: SHOWN }).then(
      (list) => live && setConflicts(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, connected, open, count]);

  if (!status) return null;
  const syncNow = async () => {
    setBusy(true);
    try {
      const s = await actions.attempt(() => api.call('materialSync.syncNow'));
      if (s) setStatus(s);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" style={{ cursor: 'default', marginBottom: 12 }} aria-label="Cloud sync" data-testid="material-sync">
      <div className="row" style={{ justifyContent: 'space-between', gap: 12, flexWrap: 'wrap' }}>
        <span>
          <strong>Cloud sync</strong> <span data-testid="material-sync-state">{syncSummary(status, now)}</span>
        </span>
        {status.enabled && canWrite && (
          <button type="button" className="btn btn-quiet btn-small" disabled={busy || status.state === 'syncing'} onClick={() => void syncNow()} data-testid="material-sync-now">
            Sync now
          </button>
        )}
      </div>
      {status.reason && (
        <p className="muted" style={{ margin: '6px 0 0' }} data-testid="material-sync-reason">
          {status.reason}
        </p>
      )}
      {status.lastError && (
        <p className="field-error" role="status" style={{ margin: '6px 0 0' }} data-testid="material-sync-error">
          {status.lastError}
        </p>
      )}
      {count > 0 && (
        <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} style={{ marginTop: 6 }}>
          <summary data-testid="material-sync-conflicts-toggle">
            {count} conflict{count === 1 ? '' : 's'}: both sides had changed a spool; the newer edit won
          </summary>
          <ul style={{ margin: '6px 0 0', paddingLeft: 18 }} data-testid="material-sync-conflicts">
            {conflicts.map((c) => (
              <li key={c.id} data-testid="material-sync-conflict">
                <strong>{c.spoolLabel}</strong>: {conflictSentence(c)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
