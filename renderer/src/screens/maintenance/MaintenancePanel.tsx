import { useEffect, useState } from 'react';
import { SUGGESTED_MAINTENANCE, type MaintenanceLogEntry, type MaintenanceTaskView } from '../../../../electron/core/contract/maintenance-types';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';
import { maintenanceDue, progressLabel } from './maintenance-summary';
import { DoneDialog, TaskDialog } from './TaskDialog';

const STATE_WORD: Record<MaintenanceTaskView['state'], string> = { ok: 'OK', soon: 'Soon', due: 'Due' };
const STATE_COLOUR: Record<MaintenanceTaskView['state'], string> = { ok: 'var(--ok)', soon: 'var(--warn)', due: 'var(--danger)' };
const LOG_SHOWN = 10;

const day = (at: number) => new Date(at).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });
const when = (at: number) => `${day(at)} ${new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;

function suggestionText(): string {
  return SUGGESTED_MAINTENANCE.map(
    (s) => `${s.name} every ${s.everyHours !== null ? `${s.everyHours} h` : s.everyGrams !== null ? `${s.everyGrams} g` : `${s.everyPrints} prints`}`,
  ).join(' · ');
}

/** A printer's maintenance: each task against its thresholds, adding and editing them, marking them done, and the log. */
export function MaintenancePanel({ printerId, tasks }: { printerId: string; tasks: MaintenanceTaskView[] }) {
  const { api, actions } = useApp();
  const canWrite = useCan('maintenance:write');
  const [editing, setEditing] = useState<MaintenanceTaskView | 'new' | null>(null);
  const [finishing, setFinishing] = useState<MaintenanceTaskView | null>(null);
  const [log, setLog] = useState<MaintenanceLogEntry[]>([]);
  const due = maintenanceDue(tasks);

  // The log changes only when a task of this printer does (marked done, above all): read it again then.
  useEffect(() => {
    let live = true;
    void actions.attempt(async () => {
      const entries = await api.call('maintenance.log', { printerId, limit: LOG_SHOWN });
      if (live) setLog(entries);
    });
    return () => {
      live = false;
    };
  }, [api, actions, printerId, tasks]);

  const addSuggested = () =>
    void actions.attempt(async () => {
      for (const s of SUGGESTED_MAINTENANCE) await api.call('maintenance.create', { printerId, ...s, countFrom: 'now' });
      actions.toast('info', 'Suggested tasks added, counting from now.');
      return true;
    });
  const remove = (t: MaintenanceTaskView) => {
    if (!window.confirm(`Remove ${t.name}? What was done under it stays in the log.`)) return;
    void actions.attempt(() => api.call('maintenance.remove', { taskId: t.id }));
  };

  return (
    <div className="panel" data-testid="maintenance-panel">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>Maintenance</h2>
        {canWrite && (
          <button type="button" className="btn btn-small" onClick={() => setEditing('new')} data-testid="maintenance-add">
            Add task
          </button>
        )}
      </div>
      {due?.holding && (
        <p className="notice" data-testid="maintenance-held">
          The queue holds this printer: {due.text}. Mark the task done to release it.
        </p>
      )}
      {tasks.length === 0 ? (
        <div className="muted">
          <p style={{ margin: '0 0 8px' }}>No maintenance tasks. Suggested: {suggestionText()}.</p>
          {canWrite && (
            <button type="button" className="btn btn-quiet btn-small" onClick={addSuggested} data-testid="maintenance-add-suggested">
              Add the suggested tasks
            </button>
          )}
        </div>
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 12 }}>
          {tasks.map((t) => (
            <li key={t.id} data-testid="maintenance-task" data-state={t.state} data-task-name={t.name}>
              <div className="row" style={{ justifyContent: 'space-between' }}>
                <span>
                  <strong>{t.name}</strong>{' '}
                  <span data-testid="maintenance-state" style={{ color: STATE_COLOUR[t.state], fontWeight: 600 }}>
                    {STATE_WORD[t.state]}
                  </span>
                  {t.holdWhenDue && <span className="muted"> · holds the queue when due</span>}
                </span>
                {canWrite && (
                  <span className="row" style={{ gap: 6 }}>
                    <button type="button" className="btn btn-small" onClick={() => setFinishing(t)} data-testid="maintenance-mark-done">
                      Mark done
                    </button>
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => setEditing(t)}>
                      Edit
                    </button>
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => remove(t)}>
                      Remove
                    </button>
                  </span>
                )}
              </div>
              {t.progress.map((p) => (
                <div key={p.measure} className="row" style={{ gap: 8, fontSize: 13 }}>
                  <span
                    role="meter"
                    aria-label={`${t.name}: ${p.measure}`}
                    aria-valuemin={0}
                    aria-valuemax={p.limit}
                    aria-valuenow={p.used}
                    style={{ display: 'inline-block', width: 160, height: 8, borderRadius: 4, background: 'var(--border)', overflow: 'hidden' }}
                  >
                    <span
                      style={{
                        display: 'block',
                        width: `${Math.min(1, p.fraction) * 100}%`,
                        height: '100%',
                        background: p.fraction >= 1 ? 'var(--danger)' : p.fraction >= 0.9 ? 'var(--warn)' : 'var(--ok)',
                      }}
                    />
                  </span>
                  <span data-testid="maintenance-progress">{progressLabel(p)}</span>
                </div>
              ))}
              <div className="muted" style={{ fontSize: 12 }}>
                {t.lastDoneAt !== null ? `Last done ${day(t.lastDoneAt)}` : `Counting since ${day(t.since)}`}
              </div>
            </li>
          ))}
        </ul>
      )}
      {log.length > 0 && (
        <details style={{ marginTop: 12 }} data-testid="maintenance-log">
          <summary>Recent maintenance ({log.length})</summary>
          <ul style={{ margin: '8px 0 0', paddingLeft: 18, fontSize: 13 }}>
            {log.map((e) => (
              <li key={e.id} data-testid="maintenance-log-entry">
                {when(e.doneAt)} · <strong>{e.name}</strong> by {e.doneBy} after {Math.floor(e.counters.hours * 10) / 10} h, {Math.round(e.counters.grams)} g, {e.counters.prints}{' '}
                print{e.counters.prints === 1 ? '' : 's'}
                {e.note ? ` — ${e.note}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      {editing && <TaskDialog printerId={printerId} task={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {finishing && <DoneDialog task={finishing} onClose={() => setFinishing(null)} />}
    </div>
  );
}
