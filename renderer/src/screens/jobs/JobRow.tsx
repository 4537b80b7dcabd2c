import { memo, type DragEvent } from 'react';
import type { JobView } from '../../../../electron/core/contract/jobs-types';
import type { MaterialNeed } from '../../../../electron/core/contract/materials-types';
import { statePillClass } from './job-filters';

/** "PLA #29B2B2 · 3.7 g" — what the job needs on the printer's spool. */
function needText(n: MaterialNeed): string {
  const grams = n.grams !== null ? `${n.grams < 10 ? Math.round(n.grams * 10) / 10 : Math.round(n.grams)} g` : n.mm !== null ? `${Math.round(n.mm / 100) / 10} m` : null;
  return [[n.material, n.colourName ?? n.colourHex].filter(Boolean).join(' '), grams].filter(Boolean).join(' · ') || 'any filament';
}

/** What rows call back into the list; one object for every row, so a row re-renders only when its own job does. */
export interface JobRowActions {
  dragStart: (e: DragEvent, jobId: string) => void;
  dragEnd: () => void;
  dragOver: (e: DragEvent, jobId: string) => void;
  drop: (e: DragEvent, beforeJobId: string) => void;
  move: (jobId: string, direction: 'up' | 'down') => void;
  cancel: (jobId: string) => void;
  retry: (jobId: string) => void;
  editNeed: (jobId: string) => void;
}

interface Props {
  job: JobView;
  /** "on Printer 2", "for any printer", "for only Printer 1". */
  where: string;
  canMoveUp: boolean;
  canMoveDown: boolean;
  beingDragged: boolean;
  dropTarget: boolean;
  /** The session may change the queue (jobs:write); a viewer sees the rows without their buttons. */
  canWrite: boolean;
  actions: JobRowActions;
}

function JobRowView({ job, where, canMoveUp, canMoveDown, beingDragged, dropTarget, canWrite, actions }: Props) {
  const queued = job.state === 'queued' && canWrite;
  const running = job.state === 'starting' || job.state === 'printing' || job.state === 'paused';
  return (
    <li
      className="panel"
      data-testid="job-row"
      data-state={job.state}
      draggable={queued}
      onDragStart={(e) => actions.dragStart(e, job.id)}
      onDragEnd={actions.dragEnd}
      onDragOver={(e) => queued && actions.dragOver(e, job.id)}
      onDrop={(e) => {
        if (!queued) return;
        e.stopPropagation();
        actions.drop(e, job.id);
      }}
      style={{
        padding: '10px 14px',
        display: 'grid',
        gridTemplateColumns: 'auto 1fr auto',
        gap: 12,
        alignItems: 'center',
        cursor: queued ? 'grab' : 'default',
        opacity: beingDragged ? 0.5 : 1,
        borderTop: dropTarget ? '3px solid var(--accent)' : undefined,
      }}
    >
      <span className={statePillClass(job.state)}>{job.state}</span>
      <div style={{ minWidth: 0 }}>
        <div style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
          {job.fileName}
          {job.copies > 1 ? (
            <span className="muted">
              {' '}
              · copy {job.copyNumber} of {job.copies}
            </span>
          ) : null}
        </div>
        <div className="muted" style={{ fontSize: 13 }}>
          {job.cloud ? (
            <span data-testid="job-cloud-origin" title={`Cloud job ${job.cloud.jobId}${job.cloud.priority !== undefined ? `, cloud priority ${job.cloud.priority}` : ''}`}>
              From the cloud ·{' '}
            </span>
          ) : null}
          {job.priority !== 'normal' ? <strong>{job.priority} · </strong> : null}
          {where}
          {job.need ? <span data-testid="job-need"> · needs {needText(job.need)}</span> : null}
          {job.reason ? ` · ${job.reason}` : ''}
        </div>
        {job.state === 'queued' && job.waiting ? (
          <div className="field-error" role="status" data-testid="job-waiting" style={{ fontSize: 13 }}>
            {job.waiting}
          </div>
        ) : null}
      </div>
      {canWrite && (
        <div className="row">
          {queued ? (
            <>
              <button type="button" className="btn btn-quiet" aria-label={`Move ${job.fileName} up`} disabled={!canMoveUp} onClick={() => actions.move(job.id, 'up')}>
                ↑
              </button>
              <button type="button" className="btn btn-quiet" aria-label={`Move ${job.fileName} down`} disabled={!canMoveDown} onClick={() => actions.move(job.id, 'down')}>
                ↓
              </button>
              <button type="button" className="btn btn-quiet" onClick={() => actions.editNeed(job.id)} data-testid="job-edit-need">
                Material…
              </button>
            </>
          ) : null}
          {queued || running || job.state === 'queued' ? (
            <button type="button" className="btn btn-danger" onClick={() => actions.cancel(job.id)}>
              Cancel
            </button>
          ) : (
            <button type="button" className="btn btn-quiet" onClick={() => actions.retry(job.id)}>
              Retry
            </button>
          )}
        </div>
      )}
    </li>
  );
}

export const JobRow = memo(JobRowView);
