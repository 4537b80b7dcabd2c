import { useMemo } from 'react';
import { ACTIVE_JOB_STATES, type JobState } from '../../../../electron/core/contract/jobs-types';
import type { PrinterView } from '../../../../electron/core/contract';
import { useJobs, useLibrary } from '../jobs/use-farm';

const ACTIVE: readonly JobState[] = ACTIVE_JOB_STATES;

/**
 * The slicer's thumbnail of what each printer prints, for tiles without a camera: from the queue's job on that
 * printer, or, for a print started by hand, from the library file of the same name.
 */
export function useWallThumbnails(printers: readonly PrinterView[]): ReadonlyMap<string, string> {
  const { jobs } = useJobs();
  const files = useLibrary();
  const byJob = useMemo(() => {
    const bySha = new Map(files.flatMap((f) => (f.thumbnail ? [[f.sha256, f.thumbnail] as const] : [])));
    const out = new Map<string, string>();
    for (const job of jobs.values()) {
      const thumbnail = job.printerId && ACTIVE.includes(job.state) ? bySha.get(job.fileSha256) : undefined;
      if (thumbnail) out.set(job.printerId!, thumbnail);
    }
    return out;
  }, [jobs, files]);
  const byName = useMemo(() => new Map(files.flatMap((f) => (f.thumbnail ? [[f.name, f.thumbnail] as const] : []))), [files]);
  // Keyed on what is printed where, so a temperature update does not rebuild it.
  const printing = printers.map((p) => `${p.id}\u0000${p.status.state.kind === 'printing' || p.status.state.kind === 'paused' ? p.status.state.job.fileName : ''}`).join('\u0001');
  return useMemo(() => {
    const out = new Map<string, string>();
    for (const entry of printing.split('\u0001')) {
      const [id, fileName] = entry.split('\u0000') as [string, string];
      if (!fileName) continue;
      const thumbnail = byJob.get(id) ?? byName.get(fileName);
      if (thumbnail) out.set(id, thumbnail);
    }
    return out;
  }, [printing, byJob, byName]);
}
