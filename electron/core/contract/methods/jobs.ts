import { z } from 'zod';
import { PRIORITIES, type FarmProfile, type FarmSettings, type JobView } from '../jobs-types';
import { MATERIAL_MATCHING } from '../materials-types';
import { none, printerId } from './common';
import { hexColour } from './materials';
import { method } from './define';

const jobId = z.string().uuid();
const shortText = z.string().trim().min(1).max(60);
const nozzle = z.number().min(0.1).max(2);

const requirements = z
  .object({
    printerModel: shortText.optional(),
    nozzleDiameter: nozzle.optional(),
    material: shortText.optional(),
    group: shortText.optional(),
    tags: z.array(shortText).max(20).optional(),
  })
  .strict();

const target = z.discriminatedUnion('kind', [z.object({ kind: z.literal('any'), requirements }).strict(), z.object({ kind: z.literal('printer'), printerId }).strict()]);

export const jobMethods = {
  'jobs.list': method<JobView[]>()({
    input: z
      .object({ finishedLimit: z.number().int().min(0).max(1000).optional() })
      .strict()
      .optional(),
    capability: 'fleet:read',
    summary: 'Running jobs, then the queue in the order it will run, then recently finished jobs.',
  }),
  'jobs.enqueue': method<JobView[]>()({
    input: z
      .object({
        fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
        copies: z.number().int().min(1).max(500).default(1),
        priority: z.enum(PRIORITIES).default('normal'),
        target: target.default({ kind: 'any', requirements: {} }),
        // The client's own id for this request (a UUID is a good choice): sending it again, because the reply was
        // lost, answers with the jobs the first call made instead of queueing them twice.
        requestId: z
          .string()
          .min(8)
          .max(100)
          .regex(/^[A-Za-z0-9_.:-]+$/, 'A request id is 8 to 100 letters, digits or _.:-')
          .optional(),
      })
      .strict(),
    capability: 'jobs:write',
    summary: "Queues copies of a library file for any compatible printer or for one printer; a repeated requestId gets the first call's jobs.",
  }),
  'jobs.cancel': method<JobView>()({ input: z.object({ jobId }).strict(), capability: 'jobs:write', summary: 'Cancels a queued job, or stops a running one.' }),
  'jobs.retry': method<JobView>()({ input: z.object({ jobId }).strict(), capability: 'jobs:write', summary: 'Queues a job that ended again, as a new job.' }),
  'jobs.reorder': method<JobView>()({
    input: z.object({ jobId, beforeJobId: jobId.nullable() }).strict(),
    capability: 'jobs:write',
    summary: 'Moves a queued job before another (or to the end of its priority).',
  }),
  'jobs.move': method<JobView>()({
    input: z.object({ jobId, direction: z.enum(['up', 'down']) }).strict(),
    capability: 'jobs:write',
    summary: 'Moves a queued job one place up or down.',
  }),
  'jobs.setPriority': method<JobView>()({
    input: z.object({ jobId, priority: z.enum(PRIORITIES) }).strict(),
    capability: 'jobs:write',
    summary: 'Changes the priority of a queued job.',
  }),
  'jobs.setNeed': method<JobView>()({
    input: z
      .object({
        jobId,
        material: z.string().trim().max(40).nullable(),
        colourHex: hexColour.nullable(),
        colourName: z.string().trim().max(60).nullable().default(null),
      })
      .strict(),
    capability: 'jobs:write',
    summary: "Sets the material and colour a queued job needs on the printer's spool (null: any).",
  }),
  'jobs.profiles': method<FarmProfile[]>()({ input: none, capability: 'fleet:read', summary: 'The farm profile (model, nozzle, material, group, tags, bed) of every printer.' }),
  'jobs.updateProfile': method<FarmProfile>()({
    input: z
      .object({
        printerId,
        model: z.string().trim().max(60).nullable().optional(),
        nozzleDiameter: nozzle.nullable().optional(),
        material: z.string().trim().max(60).nullable().optional(),
        group: z.string().trim().max(60).nullable().optional(),
        tags: z.array(shortText).max(20).optional(),
        autoEject: z.boolean().optional(),
      })
      .strict(),
    capability: 'jobs:write',
    summary: 'Edits what a printer can print and whether it clears its own bed.',
  }),
  'jobs.confirmBedClear': method<FarmProfile>()({
    input: z.object({ printerId }).strict(),
    capability: 'jobs:write',
    summary: 'Confirms the bed of a printer is clear, so it may take the next job.',
  }),
  'jobs.getSettings': method<FarmSettings>()({ input: none, capability: 'fleet:read', summary: 'Farm-wide dispatch settings.' }),
  'jobs.updateSettings': method<FarmSettings>()({
    input: z.object({ maxConcurrentStarts: z.number().int().min(1).max(100).optional(), materialMatching: z.enum(MATERIAL_MATCHING).optional() }).strict(),
    capability: 'jobs:write',
    summary: 'Changes farm-wide dispatch settings (how many printers may heat up at once, how jobs are matched to the spools loaded).',
  }),
};
