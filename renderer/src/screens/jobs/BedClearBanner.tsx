import type { FarmProfile } from '../../../../electron/core/contract/jobs-types';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';
import type { JobMap } from './job-list-state';

/** Printers waiting for an operator: the queue cannot use them until someone says their bed is clear. */
export function BedClearBanner({ profiles, jobs, names }: { profiles: FarmProfile[]; jobs: JobMap; names: ReadonlyMap<string, string> }) {
  const { api, actions } = useApp();
  // Confirming is an operator's call; a viewer sees which beds wait.
  const canConfirm = useCan('jobs:write');
  const waiting = profiles.filter((p) => p.bed === 'needs_clear' && names.has(p.printerId));
  if (!waiting.length) return null;
  return (
    <section className="panel" role="region" aria-label="Beds to clear" data-testid="bed-clear-banner" style={{ borderColor: 'var(--warn)', borderWidth: 2 }}>
      <h2 style={{ margin: '0 0 8px', fontSize: 16 }}>{waiting.length === 1 ? '1 printer is' : `${waiting.length} printers are`} waiting for the bed to be cleared</h2>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 8 }}>
        {waiting.map((p) => {
          const name = names.get(p.printerId) ?? p.printerId;
          const job = p.bedJobId ? jobs.get(p.bedJobId) : undefined;
          return (
            <li key={p.printerId} className="row spread">
              <span>
                <strong>{name}</strong>
                {job ? (
                  <span className="muted">
                    {' '}
                    · {job.fileName} ({job.state})
                  </span>
                ) : p.bedJobId === null ? (
                  <span className="muted"> · after a print started on the printer</span>
                ) : null}
              </span>
              {canConfirm && (
                <button
                  type="button"
                  className="btn"
                  aria-label={`Bed is clear on ${name}`}
                  onClick={() => void actions.attempt(() => api.call('jobs.confirmBedClear', { printerId: p.printerId }))}
                >
                  Bed is clear
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
