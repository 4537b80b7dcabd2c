import { z } from 'zod';
import { invalidState, notFound } from '../http-io';
import type { JobChanges, JobRecord, JobRepo } from '../jobs';
import { canMoveJob, isFinished, JOB_PRIORITIES, JOB_STATUSES, type JobStatus } from '../lifecycle';
import type { PrinterRepo } from '../printers';
import type { Route } from '../router';
import type { Db } from '../store';
import { iso, isoOrNull, pageEnvelope, parseBody, QueryReader, throwInvalid } from '../validation';

export function jobJson(j: JobRecord) {
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    priority: j.priority,
    printer_id: j.printerId,
    progress: j.progress,
    file_url: j.fileUrl,
    created_at: iso(j.createdAt),
    updated_at: iso(j.updatedAt),
    started_at: isoOrNull(j.startedAt),
    finished_at: isoOrNull(j.finishedAt),
    failure_reason: j.failureReason,
  };
}

const createSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  file_url: z
    .string()
    .max(2048)
    .refine((s) => /^https?:$/.test(URL.canParse(s) ? new URL(s).protocol : ''), 'must be an http:// or https:// URL'),
  priority: z.enum(JOB_PRIORITIES).optional(),
  printer_id: z.string().min(1).nullable().optional(),
});

const patchSchema = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  progress: z.number().min(0).max(100).optional(),
  printer_id: z.string().min(1).nullable().optional(),
  failure_reason: z.string().trim().min(1).max(500).optional(),
});

type JobPatch = z.output<typeof patchSchema>;

export function jobRoutes(deps: { db: Db; jobs: JobRepo; printers: PrinterRepo; now: () => number }): Route[] {
  const { db, jobs, printers, now } = deps;
  const mustGet = (id: string) => {
    const j = jobs.get(id);
    if (!j) throw notFound(`No job with id ${id}.`);
    return j;
  };

  /** Applies a patch under the transition rules, keeping the assigned printer's status in step. */
  function applyPatch(job: JobRecord, patch: JobPatch): JobRecord {
    const target: JobStatus = patch.status ?? job.status;
    if (!canMoveJob(job.status, target)) {
      throw invalidState(`Job ${job.id} is ${job.status} and cannot become ${target}.`);
    }
    if (patch.printer_id !== undefined && job.status !== 'queued') {
      throw invalidState(`Job ${job.id} is ${job.status}; a printer can be assigned only while the job is queued.`);
    }
    if (patch.printer_id != null && !printers.get(patch.printer_id)) throwInvalid({ printer_id: 'no printer with this id' });
    if (patch.failure_reason !== undefined && target !== 'failed') {
      throwInvalid({ failure_reason: 'give a failure_reason only with status "failed"' });
    }
    if (patch.progress !== undefined && target !== 'printing') {
      throw invalidState(`Job ${job.id} would be ${target}; progress can be reported only while it is printing.`);
    }

    const printerId = patch.printer_id !== undefined ? patch.printer_id : job.printerId;
    const changes: JobChanges = { printerId, progress: patch.progress, failureReason: patch.failure_reason };
    if (target !== job.status) {
      changes.status = target;
      if (target === 'printing') {
        startOnPrinter(job, printerId);
        changes.startedAt = now();
      } else if (target === 'queued') {
        Object.assign(changes, { progress: 0, startedAt: null, finishedAt: null, failureReason: null });
      } else if (isFinished(target)) {
        changes.finishedAt = now();
        if (target === 'completed') changes.progress = 100;
        releasePrinter(job);
      }
    }
    if (patch.progress !== undefined && printerId !== null && printers.get(printerId)?.currentJob === job.id) {
      printers.update(printerId, { progress: patch.progress });
    }
    return jobs.update(job.id, changes)!;
  }

  function startOnPrinter(job: JobRecord, printerId: string | null): void {
    if (printerId === null) throw invalidState(`Job ${job.id} has no printer; set printer_id before it starts printing.`);
    const printer = printers.get(printerId);
    if (!printer) throw invalidState(`Printer ${printerId} of job ${job.id} no longer exists; assign another printer.`);
    if (printer.status !== 'idle' || (printer.currentJob !== null && printer.currentJob !== job.id)) {
      throw invalidState(`Printer ${printerId} is ${printer.status}; it can start job ${job.id} only when idle.`);
    }
    printers.update(printerId, { status: 'printing', currentJob: job.id, progress: 0 });
  }

  function releasePrinter(job: JobRecord): void {
    if (job.printerId === null) return;
    const printer = printers.get(job.printerId);
    if (printer?.currentJob === job.id) printers.update(printer.id, { status: 'idle', currentJob: null, progress: 0 });
  }

  return [
    {
      method: 'GET',
      path: '/jobs',
      scope: 'jobs:read',
      handle: ({ query }) => {
        const q = new QueryReader(query);
        const filter = {
          status: q.oneOf('status', JOB_STATUSES),
          printerId: q.string('printer_id'),
          priority: q.oneOf('priority', JOB_PRIORITIES),
          from: q.instant('from'),
          to: q.instant('to'),
        };
        const { page, perPage } = q.paging();
        q.done();
        const { items, total } = jobs.list(filter, page, perPage);
        return { status: 200, body: pageEnvelope(items.map(jobJson), page, perPage, total) };
      },
    },
    {
      method: 'GET',
      path: '/jobs/:id',
      scope: 'jobs:read',
      handle: ({ params }) => ({ status: 200, body: jobJson(mustGet(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/jobs',
      scope: 'jobs:write',
      handle: async ({ readJson }) => {
        const b = parseBody(createSchema, await readJson());
        if (b.printer_id != null && !printers.get(b.printer_id)) throwInvalid({ printer_id: 'no printer with this id' });
        const job = jobs.create({
          name: b.name,
          fileUrl: b.file_url,
          priority: b.priority ?? 'normal',
          printerId: b.printer_id ?? null,
        });
        return { status: 201, body: jobJson(job) };
      },
    },
    {
      method: 'PATCH',
      path: '/jobs/:id',
      scope: 'jobs:write',
      handle: async ({ params, readJson }) => {
        const patch = parseBody(patchSchema, await readJson());
        if (Object.keys(patch).length === 0) throwInvalid({ body: 'give at least one field to change' });
        return db.transaction(() => ({ status: 200 as const, body: jobJson(applyPatch(mustGet(params.id!), patch)) }))();
      },
    },
    {
      method: 'POST',
      path: '/jobs/:id/cancel',
      scope: 'jobs:write',
      handle: ({ params }) =>
        db.transaction(() => {
          const job = mustGet(params.id!);
          if (job.status !== 'queued' && job.status !== 'printing') {
            throw invalidState(`Job ${job.id} is ${job.status}; only a queued or printing job can be cancelled.`);
          }
          return { status: 200 as const, body: jobJson(applyPatch(job, { status: 'cancelled' })) };
        })(),
    },
  ];
}
