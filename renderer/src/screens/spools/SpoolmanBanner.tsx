import type { SpoolmanStatus } from '../../../../electron/core/contract/spoolman-types';
import { useApp } from '../../store/context';
import { gramsText } from './spool-list';

/** On the Spools screen while Spoolman keeps the spools: where, whether it answers, and what waits to be sent to it. */
export function SpoolmanBanner({ status, canSync }: { status: SpoolmanStatus; canSync: boolean }) {
  const { api, actions } = useApp();
  return (
    <div className="panel" data-testid="spoolman-banner" data-reachable={String(status.reachable)}>
      <p className="row" style={{ gap: 8, flexWrap: 'wrap', margin: 0 }}>
        <span>
          Spools are kept in Spoolman at <span className="mono">{status.url}</span>
          {status.version ? ` (version ${status.version})` : ''}.
        </span>
        {status.pendingUses > 0 && (
          <span data-testid="spoolman-pending">
            {status.pendingUses === 1 ? '1 print’s use' : `${status.pendingUses} prints’ use`} ({gramsText(status.pendingGrams)}) waits to be recorded in Spoolman; it is kept here
            until then.
          </span>
        )}
        {status.skippedSpools > 0 && (
          <span className="muted">
            {status.skippedSpools} Spoolman {status.skippedSpools === 1 ? 'spool has' : 'spools have'} no weight and {status.skippedSpools === 1 ? 'is' : 'are'} not shown: give{' '}
            {status.skippedSpools === 1 ? 'it' : 'them'} an initial weight in Spoolman.
          </span>
        )}
        {canSync && (
          <button type="button" className="btn btn-quiet btn-small" onClick={() => void actions.attempt(() => api.call('spoolman.sync'))} data-testid="spoolman-sync">
            Sync now
          </button>
        )}
      </p>
      {status.problem && (
        <p className="field-error" role="alert" data-testid="spoolman-problem">
          {status.problem}
        </p>
      )}
      {status.refusedUses.length > 0 && (
        <ul className="field-error" data-testid="spoolman-refused">
          {status.refusedUses.map((u) => (
            <li key={`${u.jobId}-${u.spoolmanId}`}>{u.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
