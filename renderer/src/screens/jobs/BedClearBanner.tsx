import type { FarmProfile, JobView } from '../../../../electron/core/contract/jobs-types';
import { useApp, useAppState } from '../../store/context';

/** Printers waiting for an operator: the queue cannot use them until someone says their bed is clear. */
export function BedClearBanner({ profiles, jobs }: { profiles: FarmProfile[]; jobs: JobView[] }) {
  const { api, actions } = useApp();
  const printers = useAppState((s) => s.printers);
  const waiting = profiles.filter((p) => p.bed === 'needs_clear' && printers[p.printerId]);
  if (!waiting.length) return null;
  return (
    <section className="panel" role="region" aria-label="Beds to clear" data-testid="bed-clear-banner" style={{ borderColor: 'var(--warn)', borderWidth: 2 }}>
      <h2 style={{ margin: '0 0 8px', fontSize: 16 }}>
        {waiting.length === 1 ? '1 printer is' : `${waiting.length} printers are`} waiting for the bed to be cleared
      </h2>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 8 }}>
        {waiting.map((p) => {
          const name = printers[p.printerId]?.name ?? p.printerId;
          const job = jobs.find((j) => j.id === p.bedJobId);
          return (
            <li key={p.printerId} className="row spread">
              <span>
                <strong>{name}</strong>
                {job ? <span className="muted"> · {job.fileName} ({job.state})</span> : null}
              </span>
              <button type="button" className="btn" aria-label={`Bed is clear on ${name}`} onClick={() => void actions.attempt(() => api.call('jobs.confirmBedClear', { printerId: p.printerId }))}>
                Bed is clear
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
