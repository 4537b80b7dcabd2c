import { z } from 'zod';
import type { FileRepo } from '../files';
import { notFound } from '../http-io';
import type { CommandLog, CommandRecord } from '../hub-commands';
import type { JobControl } from '../job-control';
import type { JobRecord, JobRepo } from '../jobs';
import { JOB_STATUSES, parsePriority, PRIORITY_NAMES } from '../lifecycle';
import type { Route } from '../router';
import { issueDetails, iso, isoOrNull, pageEnvelope, parseBody, QueryReader, throwInvalid } from '../validation';

export function jobJson(j: JobRecord) {
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    priority: j.priority,
    printer_id: j.printerId,
    progress: j.progress,
    file_id: j.fileId,
    file_url: j.fileUrl,
    auto_dispatch: j.autoDispatch,
    requirements: j.requirements,
    file_transfer: j.fileTransfer && { ...j.fileTransfer, at: iso(j.fileTransfer.at) },
    created_at: iso(j.createdAt),
    updated_at: iso(j.updatedAt),
    started_at: isoOrNull(j.startedAt),
    finished_at: isoOrNull(j.finishedAt),
    failure_reason: j.failureReason,
    actual_print_time_minutes: j.actualPrintTimeMinutes,
  };
}

function commandJson(c: CommandRecord) {
  return {
    id: c.id,
    hub_id: c.hubId,
    type: c.type,
    action: c.action,
    printer_id: c.printerId,
    sent_at: iso(c.sentAt),
    acked_at: isoOrNull(c.ackedAt),
    success: c.success,
    error: c.error,
  };
}

const PRIORITY_PROBLEM = `must be a whole number from 0 to 255 or one of ${PRIORITY_NAMES.join(', ')}`;
/** An integer 0–255; the old names are still accepted on input (real product). */
const priority = z
  .any()
  .refine((v) => parsePriority(v) !== null, PRIORITY_PROBLEM)
  .transform((v) => parsePriority(v)!);

const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:$/.test(URL.canParse(s) ? new URL(s).protocol : ''), 'must be an http:// or https:// URL');

const createSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  file_url: httpUrl.optional(),
  file_id: z.string().min(1).max(100).optional(),
  priority: priority.optional(),
  printer_id: z.string().min(1).nullable().optional(),
  auto_dispatch: z.boolean().optional(),
  requirements: z
    .strictObject({
      printer_model: z.string().trim().min(1).max(100).optional(),
      nozzle: z.number().positive().max(5).optional(),
      material: z.string().trim().min(1).max(50).optional(),
      // Ours: the colour (a #RRGGBB code or a name) and the filament the file uses, so a hub claims only with a
      // matching spool that holds enough (issue 15 item 3).
      color: z.string().trim().min(1).max(50).optional(),
      filament_grams: z.number().positive().max(100_000).optional(),
    })
    .optional(),
});

const patchSchema = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  progress: z.number().min(0).max(100).optional(),
  printer_id: z.string().min(1).nullable().optional(),
  failure_reason: z.string().trim().min(1).max(500).optional(),
  priority: priority.optional(),
});

const assignSchema = z.strictObject({ printer_id: z.string().min(1) });

/** Checks the body field by field, then the rules between fields, and reports every problem at once. */
function parseCreate(body: Record<string, unknown>) {
  const result = createSchema.safeParse(body);
  const details = result.success ? {} : issueDetails(result.error);
  const has = (field: string) => body[field] !== undefined;
  if (!has('name') && !has('file_id')) details.name ??= 'give a name, or a file_id whose file name the job takes';
  if (!has('file_url') && !has('file_id')) details.file_url ??= 'give file_url or file_id';
  if (has('file_url') && has('file_id')) details.file_id ??= 'give file_id or file_url, not both';
  if (!result.success || Object.keys(details).length > 0) throwInvalid(details);
  return result.data;
}

export function jobRoutes(deps: { jobs: JobRepo; files: FileRepo; commands: CommandLog; control: JobControl }): Route[] {
  const { jobs, files, commands, control } = deps;
  const mustGet = (id: string) => {
    const j = jobs.get(id);
    if (!j) throw notFound(`No job with id ${id}.`);
    return j;
  };
  const withCommand = (r: { job: JobRecord; commandId: string | null }) => ({ ...jobJson(r.job), command_id: r.commandId });

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
          priority: q.parsed('priority', (s) => parsePriority(/^\d{1,3}$/.test(s) ? Number(s) : s), PRIORITY_PROBLEM),
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
      method: 'GET',
      path: '/jobs/:id/commands',
      scope: 'jobs:read',
      handle: ({ params }) => ({ status: 200, body: { data: commands.forJob(mustGet(params.id!).id).map(commandJson) } }),
    },
    {
      method: 'POST',
      path: '/jobs',
      scope: 'jobs:write',
      handle: async ({ readJson }) => {
        const b = parseCreate(await readJson());
        const file = b.file_id === undefined ? null : files.get(b.file_id);
        if (b.file_id !== undefined && !file) throwInvalid({ file_id: 'no file with this id' });
        const job = control.create({
          name: b.name ?? file!.name,
          fileUrl: b.file_url ?? null,
          fileId: file?.id ?? null,
          priority: b.priority ?? parsePriority('normal')!,
          printerId: b.printer_id ?? null,
          autoDispatch: b.auto_dispatch ?? false,
          requirements: b.requirements ?? {},
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
        return { status: 200, body: jobJson(control.patch(params.id!, patch)) };
      },
    },
    {
      method: 'POST',
      path: '/jobs/:id/assign',
      scope: 'jobs:write',
      handle: async ({ params, readJson }) => {
        const { printer_id } = parseBody(assignSchema, await readJson());
        return { status: 200, body: jobJson(control.assign(params.id!, printer_id)) };
      },
    },
    {
      method: 'POST',
      path: '/jobs/:id/start',
      scope: 'jobs:write',
      handle: ({ params }) => ({ status: 200, body: withCommand(control.start(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/jobs/:id/pause',
      scope: 'jobs:write',
      handle: ({ params }) => ({ status: 200, body: withCommand(control.pause(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/jobs/:id/resume',
      scope: 'jobs:write',
      handle: ({ params }) => ({ status: 200, body: withCommand(control.resume(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/jobs/:id/cancel',
      scope: 'jobs:write',
      handle: ({ params }) => ({ status: 200, body: withCommand(control.cancel(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/jobs/:id/retry',
      scope: 'jobs:write',
      handle: ({ params }) => ({ status: 200, body: jobJson(control.retry(params.id!)) }),
    },
  ];
}
