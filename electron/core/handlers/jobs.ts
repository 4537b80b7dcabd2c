import type { JOB_METHODS } from '../contract/names/jobs';
import type { JobRequirements, JobTarget } from '../contract/jobs-types';
import type { Farm, ProfilePatch } from '../jobs/farm';
import type { HandlersFor } from '../rpc/dispatch';

// zod's optional fields arrive as `T | undefined`; the farm's types leave them out instead.
function cleanTarget(t: { kind: 'any'; requirements: { [K in keyof JobRequirements]?: JobRequirements[K] | undefined } } | { kind: 'printer'; printerId: string }): JobTarget {
  if (t.kind === 'printer') return t;
  const requirements: JobRequirements = {};
  for (const [k, v] of Object.entries(t.requirements)) if (v !== undefined) (requirements as Record<string, unknown>)[k] = v;
  return { kind: 'any', requirements };
}

export function createJobHandlers(farm: Farm): HandlersFor<(typeof JOB_METHODS)[number]> {
  return {
    'jobs.list': async (input) => farm.list(input?.finishedLimit),
    'jobs.enqueue': async ({ fileSha256, copies, priority, target, requestId }) =>
      farm.enqueue({ fileSha256, copies, priority, target: cleanTarget(target), ...(requestId !== undefined ? { requestId } : {}) }),
    'jobs.cancel': async ({ jobId }) => farm.cancel(jobId),
    'jobs.retry': async ({ jobId }) => farm.retry(jobId),
    'jobs.reorder': async ({ jobId, beforeJobId }) => farm.reorder(jobId, beforeJobId),
    'jobs.move': async ({ jobId, direction }) => farm.move(jobId, direction),
    'jobs.setPriority': async ({ jobId, priority }) => farm.setPriority(jobId, priority),
    'jobs.setNeed': async ({ jobId, material, colourHex, colourName }) => farm.setNeed(jobId, { material, colourHex, colourName }),
    'jobs.profiles': async () => farm.profilesList(),
    'jobs.updateProfile': async ({ printerId, ...patch }) => {
      const clean: ProfilePatch = {};
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) (clean as Record<string, unknown>)[k] = v;
      return farm.updateProfile(printerId, clean);
    },
    'jobs.confirmBedClear': async ({ printerId }) => farm.confirmBedClear(printerId),
    'jobs.getSettings': async () => farm.settings(),
    'jobs.updateSettings': async ({ maxConcurrentStarts, materialMatching }) =>
      farm.updateSettings({ ...(maxConcurrentStarts !== undefined ? { maxConcurrentStarts } : {}), ...(materialMatching !== undefined ? { materialMatching } : {}) }),
  };
}
