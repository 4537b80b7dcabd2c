import { useState, type DragEvent } from 'react';
import type { JobView } from '../../../../electron/core/contract/jobs-types';
import { EmptyState } from '../../components/EmptyState';
import { useApp, useAppState } from '../../store/context';
import { BedClearBanner } from './BedClearBanner';
import { filterJobs, statePillClass, type JobFilter } from './job-filters';
import { ProfilesPanel } from './ProfilesPanel';
import { useFarmSettings, useJobs, useProfiles } from './use-farm';

function targetText(job: JobView, printerName: (id: string) => string): string {
  if (job.target.kind === 'printer') return `only ${printerName(job.target.printerId)}`;
  const r = job.target.requirements;
  const parts = [r.printerModel, r.nozzleDiameter !== undefined ? `${r.nozzleDiameter} mm` : undefined, r.material, r.group, ...(r.tags ?? []).map((t) => `#${t}`)].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'any printer';
}

const FILTERS: { value: JobFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'queued', label: 'Queued' },
  { value: 'active', label: 'Printing' },
  { value: 'finished', label: 'Finished' },
];

export function JobsScreen() {
  const { api, actions } = useApp();
  const printers = useAppState((s) => s.printers);
  const { jobs, loaded } = useJobs();
  const profiles = useProfiles();
  const settings = useFarmSettings();
  const [filter, setFilter] = useState<JobFilter>('all');
  const [text, setText] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropBefore, setDropBefore] = useState<string | null>(null);
  const printerName = (id: string) => printers[id]?.name ?? 'a removed printer';
  const shown = filterJobs(jobs, filter, text);
  const queuedIds = jobs.filter((j) => j.state === 'queued').map((j) => j.id);

  const drop = (e: DragEvent, beforeJobId: string | null) => {
    e.preventDefault();
    const id = e.dataTransfer.getData('text/x-apf-job') || dragging;
    setDragging(null);
    setDropBefore(null);
    if (id && id !== beforeJobId) void actions.attempt(() => api.call('jobs.reorder', { jobId: id, beforeJobId }));
  };

  return (
    <section className="screen" aria-labelledby="jobs-title">
      <header className="screen-head">
        <h1 id="jobs-title">Jobs</h1>
        <div className="head-actions">
          <a className="btn btn-quiet" href="#/library">Queue from the library</a>
        </div>
      </header>
      <BedClearBanner profiles={profiles} jobs={jobs} />
      <div className="row spread">
        <div className="row" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <button key={f.value} type="button" className={`chip${filter === f.value ? ' chip-on' : ''}`} aria-pressed={filter === f.value} onClick={() => setFilter(f.value)}>
              {f.label}
            </button>
          ))}
        </div>
        <input type="search" placeholder="Filter by file name" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter by file name" />
      </div>
      {loaded && jobs.length === 0 ? (
        <EmptyState title="The queue is empty">Open the library, pick a file and choose “Print…”. Jobs start on idle, compatible printers whose bed is clear.</EmptyState>
      ) : (
        <ol style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 6 }} data-testid="job-list" onDragOver={(e) => dragging && e.preventDefault()} onDrop={(e) => drop(e, null)}>
          {shown.map((job) => {
            const queued = job.state === 'queued';
            const qi = queuedIds.indexOf(job.id);
            return (
              <li
                key={job.id}
                className="panel"
                data-testid="job-row"
                data-state={job.state}
                draggable={queued}
                onDragStart={(e) => {
                  e.dataTransfer.setData('text/x-apf-job', job.id);
                  e.dataTransfer.effectAllowed = 'move';
                  setDragging(job.id);
                }}
                onDragEnd={() => {
                  setDragging(null);
                  setDropBefore(null);
                }}
                onDragOver={(e) => {
                  if (!dragging || !queued) return;
                  e.preventDefault();
                  e.stopPropagation();
                  setDropBefore(job.id);
                }}
                onDrop={(e) => {
                  if (!queued) return;
                  e.stopPropagation();
                  drop(e, job.id);
                }}
                style={{
                  padding: '10px 14px',
                  display: 'grid',
                  gridTemplateColumns: 'auto 1fr auto',
                  gap: 12,
                  alignItems: 'center',
                  cursor: queued ? 'grab' : 'default',
                  opacity: dragging === job.id ? 0.5 : 1,
                  borderTop: dropBefore === job.id ? '3px solid var(--accent)' : undefined,
                }}
              >
                <span className={statePillClass(job.state)}>{job.state}</span>
                <div style={{ minWidth: 0 }}>
                  <div style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                    {job.fileName}
                    {job.copies > 1 ? <span className="muted"> · copy {job.copyNumber} of {job.copies}</span> : null}
                  </div>
                  <div className="muted" style={{ fontSize: 13 }}>
                    {job.priority !== 'normal' ? <strong>{job.priority} · </strong> : null}
                    {job.printerId ? `on ${printerName(job.printerId)}` : `for ${targetText(job, printerName)}`}
                    {job.reason ? ` · ${job.reason}` : ''}
                  </div>
                </div>
                <div className="row">
                  {queued ? (
                    <>
                      <button type="button" className="btn btn-quiet" aria-label={`Move ${job.fileName} up`} disabled={qi <= 0} onClick={() => void actions.attempt(() => api.call('jobs.move', { jobId: job.id, direction: 'up' }))}>
                        ↑
                      </button>
                      <button type="button" className="btn btn-quiet" aria-label={`Move ${job.fileName} down`} disabled={qi === queuedIds.length - 1} onClick={() => void actions.attempt(() => api.call('jobs.move', { jobId: job.id, direction: 'down' }))}>
                        ↓
                      </button>
                    </>
                  ) : null}
                  {queued || job.state === 'starting' || job.state === 'printing' || job.state === 'paused' ? (
                    <button type="button" className="btn btn-danger" onClick={() => void actions.attempt(() => api.call('jobs.cancel', { jobId: job.id }))}>
                      Cancel
                    </button>
                  ) : (
                    <button type="button" className="btn btn-quiet" onClick={() => void actions.attempt(() => api.call('jobs.retry', { jobId: job.id }))}>
                      Retry
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <ProfilesPanel profiles={profiles} settings={settings} />
    </section>
  );
}
