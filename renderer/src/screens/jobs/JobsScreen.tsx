import { useDeferredValue, useMemo, useRef, useState, type DragEvent } from 'react';
import type { JobView } from '../../../../electron/core/contract/jobs-types';
import { EmptyState } from '../../components/EmptyState';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';
import { BedClearBanner } from './BedClearBanner';
import { jobSections, type JobSections } from './job-list-state';
import { type JobFilter } from './job-filters';
import { NeedDialog } from './NeedDialog';
import { JobRow, type JobRowActions } from './JobRow';
import { ProfilesPanel } from './ProfilesPanel';
import { useFarmSettings, useJobs, useProfiles } from './use-farm';
import { usePrinterNames } from '../../store/use-printer-names';

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

type Section = keyof JobSections;
const SECTIONS: { key: Section; shownBy: JobFilter[]; noun: string }[] = [
  { key: 'active', shownBy: ['all', 'active'], noun: 'running' },
  { key: 'queued', shownBy: ['all', 'queued'], noun: 'queued' },
  { key: 'finished', shownBy: ['all', 'finished'], noun: 'finished' },
];

/** Rows rendered per section at first and per "show more": a queue of 10 000 jobs renders 200 rows, not 10 000. */
export const PAGE_ROWS = 200;
const FIRST_PAGES: Record<Section, number> = { active: PAGE_ROWS, queued: PAGE_ROWS, finished: PAGE_ROWS };

export function JobsScreen() {
  const { api, actions } = useApp();
  const names = usePrinterNames();
  const { jobs, loaded } = useJobs();
  const profiles = useProfiles();
  const settings = useFarmSettings();
  const [filter, setFilter] = useState<JobFilter>('all');
  const [text, setText] = useState('');
  const needle = useDeferredValue(text.trim().toLowerCase());
  const [pages, setPages] = useState(FIRST_PAGES);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropBefore, setDropBefore] = useState<string | null>(null);

  const sections = useMemo(() => jobSections(jobs), [jobs]);
  const shown = useMemo(() => {
    const match = (j: JobView) => !needle || j.fileName.toLowerCase().includes(needle);
    return Object.fromEntries(SECTIONS.map(({ key, shownBy }) => [key, shownBy.includes(filter) ? sections[key].filter(match) : []])) as unknown as JobSections;
  }, [sections, filter, needle]);
  const queuedIndex = useMemo(() => new Map(sections.queued.map((j, i) => [j.id, i])), [sections.queued]);

  // Stable for the life of the screen (state is read through refs), so memoised rows are not re-rendered by it.
  const draggingRef = useRef<string | null>(null);
  draggingRef.current = dragging;
  const canWrite = useCan('jobs:write');
  const [editingNeed, setEditingNeed] = useState<string | null>(null);
  const rowActions = useRef<JobRowActions | null>(null);
  rowActions.current ??= {
    dragStart: (e, jobId) => {
      e.dataTransfer.setData('text/x-apf-job', jobId);
      e.dataTransfer.effectAllowed = 'move';
      setDragging(jobId);
    },
    dragEnd: () => {
      setDragging(null);
      setDropBefore(null);
    },
    dragOver: (e, jobId) => {
      if (!draggingRef.current) return;
      e.preventDefault();
      e.stopPropagation();
      setDropBefore(jobId);
    },
    drop: (e, beforeJobId) => dropJob(e, beforeJobId),
    move: (jobId, direction) => void actions.attempt(() => api.call('jobs.move', { jobId, direction })),
    cancel: (jobId) => void actions.attempt(() => api.call('jobs.cancel', { jobId })),
    retry: (jobId) => void actions.attempt(() => api.call('jobs.retry', { jobId })),
    editNeed: (jobId) => setEditingNeed(jobId),
  };
  function dropJob(e: DragEvent, beforeJobId: string | null) {
    e.preventDefault();
    const id = e.dataTransfer.getData('text/x-apf-job') || draggingRef.current;
    setDragging(null);
    setDropBefore(null);
    if (id && id !== beforeJobId) void actions.attempt(() => api.call('jobs.reorder', { jobId: id, beforeJobId }));
  }

  const printerName = (id: string) => names.get(id) ?? 'a removed printer';
  const total = sections.active.length + sections.queued.length + sections.finished.length;
  const lastQueued = sections.queued.length - 1;

  return (
    <section className="screen" aria-labelledby="jobs-title">
      <header className="screen-head">
        <h1 id="jobs-title">Jobs</h1>
        <div className="head-actions">
          <a className="btn btn-quiet" href="#/library">
            Queue from the library
          </a>
        </div>
      </header>
      <BedClearBanner profiles={profiles} jobs={jobs} names={names} />
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
      {loaded ? (
        <p className="muted" style={{ margin: 0 }} data-testid="job-counts" aria-live="polite">
          {sections.queued.length} queued · {sections.active.length} running · {sections.finished.length} recently finished
          {needle ? ` · ${shown.active.length + shown.queued.length + shown.finished.length} match “${needle}”` : ''}
        </p>
      ) : null}
      {loaded && total === 0 ? (
        <EmptyState title="The queue is empty">Open the library, pick a file and choose “Print…”. Jobs start on idle, compatible printers whose bed is clear.</EmptyState>
      ) : (
        <ol
          style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 6 }}
          data-testid="job-list"
          onDragOver={(e) => dragging && e.preventDefault()}
          onDrop={(e) => dropJob(e, null)}
        >
          {SECTIONS.flatMap(({ key, noun }) => {
            const list = shown[key];
            const rows = list.slice(0, pages[key]).map((job) => {
              const qi = job.state === 'queued' ? (queuedIndex.get(job.id) ?? -1) : -1;
              return (
                <JobRow
                  key={job.id}
                  job={job}
                  where={job.printerId ? `on ${printerName(job.printerId)}` : `for ${targetText(job, printerName)}`}
                  canMoveUp={qi > 0}
                  canMoveDown={qi >= 0 && qi < lastQueued}
                  beingDragged={dragging === job.id}
                  dropTarget={dropBefore === job.id}
                  canWrite={canWrite}
                  actions={rowActions.current!}
                />
              );
            });
            const more = list.length - pages[key];
            if (more > 0) {
              rows.push(
                <li key={`more-${key}`} className="row">
                  <button type="button" className="btn btn-quiet" data-testid={`show-more-${key}`} onClick={() => setPages((p) => ({ ...p, [key]: p[key] + PAGE_ROWS }))}>
                    Show {Math.min(more, PAGE_ROWS)} more of {more} {noun}
                  </button>
                </li>,
              );
            }
            return rows;
          })}
        </ol>
      )}
      <ProfilesPanel profiles={profiles} settings={settings} />
      {editingNeed && jobs.get(editingNeed) && <NeedDialog job={jobs.get(editingNeed)!} onClose={() => setEditingNeed(null)} />}
    </section>
  );
}
