import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../electron/core/contract/jobs-types';
import { applyJobChanges, jobMap, jobSections } from '../../../renderer/src/screens/jobs/job-list-state';

let seq = 0;
function job(p: Partial<JobView> & { id: string }): JobView {
  seq++;
  return {
    batchId: 'b',
    copyNumber: 1,
    copies: 1,
    fileSha256: 'f'.repeat(64),
    fileName: 'part.gcode',
    priority: 'normal',
    target: { kind: 'any', requirements: {} },
    state: 'queued',
    printerId: null,
    reason: null,
    retryOf: null,
    createdAt: 0,
    startedAt: null,
    endedAt: null,
    position: seq,
    seq,
    version: 0,
    cloud: null,
    need: null,
    waiting: null,
    ...p,
  };
}

const ids = (list: JobView[]) => list.map((j) => j.id);

describe('the Jobs screen copy of the queue', () => {
  it('orders queued jobs as the core runs them: priority, then drag position, then the order they were queued', () => {
    const jobs = jobMap([
      job({ id: 'n1', position: 10, seq: 1 }),
      job({ id: 'n2', position: 5, seq: 2 }),
      job({ id: 'u', priority: 'urgent', position: 30, seq: 3 }),
      job({ id: 'low', priority: 'low', position: 1, seq: 4 }),
      job({ id: 'n3', position: 5, seq: 5 }),
    ]);
    expect(ids(jobSections(jobs).queued)).toEqual(['u', 'n2', 'n3', 'n1', 'low']);
  });

  it('moves a job between sections when an event says it started or ended', () => {
    let jobs = jobMap([job({ id: 'a' }), job({ id: 'b' })]);
    jobs = applyJobChanges(jobs, [{ ...jobs.get('a')!, state: 'printing', printerId: 'p1', startedAt: 5, version: 1 }]);
    expect(ids(jobSections(jobs).active)).toEqual(['a']);
    jobs = applyJobChanges(jobs, [{ ...jobs.get('a')!, state: 'completed', endedAt: 9, version: 2 }, job({ id: 'c', version: 3 })]);
    const s = jobSections(jobs);
    expect([ids(s.active), ids(s.queued), ids(s.finished)]).toEqual([[], ['b', 'c'], ['a']]);
  });

  it('ignores a copy of a job older than the one it holds, whatever order they arrive in', () => {
    let jobs = jobMap([job({ id: 'a', state: 'starting', printerId: 'p1', version: 5 })]);
    jobs = applyJobChanges(jobs, [{ ...jobs.get('a')!, state: 'queued', printerId: null, version: 4 }]);
    expect(jobs.get('a')).toMatchObject({ state: 'starting', version: 5 });
  });

  it('keeps only the most recently finished jobs', () => {
    const finished = Array.from({ length: 5 }, (_, i) => job({ id: `f${i}`, state: 'completed', endedAt: 100 + i, version: i + 1 }));
    const jobs = applyJobChanges(jobMap([job({ id: 'q' })]), finished, 3);
    expect(ids(jobSections(jobs).finished)).toEqual(['f4', 'f3', 'f2']);
    expect(jobs.has('q')).toBe(true);
  });

  it('applies 2 000 changed jobs of a 10 000 job queue in one pass', () => {
    const queue = Array.from({ length: 10_000 }, (_, i) => job({ id: `j${i}` }));
    const changed = queue.slice(0, 2000).map((j) => ({ ...j, state: 'cancelled' as const, endedAt: 1, version: 1 }));
    const jobs = applyJobChanges(jobMap(queue), changed, 200);
    const s = jobSections(jobs);
    expect([s.queued.length, s.finished.length]).toEqual([8000, 200]);
  });
});
