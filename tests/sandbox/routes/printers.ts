import { z } from 'zod';
import { invalidState, notFound } from '../http-io';
import { PRINTER_COMMAND_ACTIONS } from '../hub-protocol';
import type { HubRepo } from '../hubs';
import type { JobControl } from '../job-control';
import type { JobRepo } from '../jobs';
import type { VerifiedKey } from '../keys';
import { applyPrinterAction, isActive, PRINTER_ACTIONS, PRINTER_STATUSES } from '../lifecycle';
import { AMBIENT_TEMPERATURE_C, CONNECTION_TYPES, type PrinterChanges, type PrinterRecord, type PrinterRepo } from '../printers';
import type { Route } from '../router';
import type { Db } from '../store';
import { iso, pageEnvelope, parseBody, QueryReader, throwInvalid } from '../validation';

export function printerJson(p: PrinterRecord) {
  return {
    id: p.id,
    name: p.name,
    status: p.status,
    model: p.model,
    firmware: p.firmware,
    temperatures: p.temperatures,
    current_job: p.currentJob,
    progress: p.progress,
    group: p.group,
    tags: p.tags,
    hub_id: p.hubId,
    local_id: p.localId,
    connection_type: p.connectionType,
    hub_status: p.hubReport,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:$/.test(URL.canParse(s) ? new URL(s).protocol : ''), 'must be an http:// or https:// URL');
const tags = z
  .array(text(50))
  .max(20, 'at most 20 tags')
  .transform((t) => [...new Set(t)]);
const celsius = z.number().min(-50).max(500);

const createSchema = z.strictObject({
  name: text(100),
  model: text(100),
  group: text(100).nullable().optional(),
  tags: tags.optional(),
  connection_url: httpUrl.nullable().optional(),
  api_key: z.string().min(1).max(512).nullable().optional(),
  firmware: text(100).nullable().optional(),
  status: z.enum(PRINTER_STATUSES).optional(),
  hub_id: z.string().min(1).max(100).optional(),
  local_id: text(200).optional(),
  connection_type: z.enum(CONNECTION_TYPES).optional(),
});

// Beyond the create fields, a hub reports live state: status, temperatures, progress, current job.
const patchSchema = z.strictObject({
  name: text(100).optional(),
  model: text(100).optional(),
  group: text(100).nullable().optional(),
  tags: tags.optional(),
  connection_url: httpUrl.nullable().optional(),
  api_key: z.string().min(1).max(512).nullable().optional(),
  firmware: text(100).nullable().optional(),
  status: z.enum(PRINTER_STATUSES).optional(),
  temperatures: z.strictObject({ hotend: celsius.optional(), bed: celsius.optional() }).optional(),
  progress: z.number().min(0).max(100).optional(),
  current_job: z.string().min(1).nullable().optional(),
  connection_type: z.enum(CONNECTION_TYPES).optional(),
});

const actionSchema = z.strictObject({ action: z.enum(PRINTER_ACTIONS) });
const commandSchema = z.strictObject({ action: z.enum(PRINTER_COMMAND_ACTIONS) });

export interface PrinterRouteDeps {
  db: Db;
  printers: PrinterRepo;
  jobs: JobRepo;
  hubs: HubRepo;
  control: JobControl;
  /** The sandbox's organization, for keys minted without one. */
  organization: string;
  now: () => number;
}

export function printerRoutes(deps: PrinterRouteDeps): Route[] {
  const { db, printers, jobs, hubs, control, now } = deps;
  const orgOf = (caller: VerifiedKey) => caller.organization ?? deps.organization;
  const mustGet = (id: string) => {
    const p = printers.get(id);
    if (!p) throw notFound(`No printer with id ${id}.`);
    return p;
  };

  return [
    {
      method: 'GET',
      path: '/printers',
      scope: 'printers:read',
      handle: ({ query }) => {
        const q = new QueryReader(query);
        const status = q.oneOf('status', PRINTER_STATUSES);
        const group = q.string('group');
        const tag = q.string('tag');
        const { page, perPage } = q.paging();
        q.done();
        const { items, total } = printers.list({ status, group, tag }, page, perPage);
        return { status: 200, body: pageEnvelope(items.map(printerJson), page, perPage, total) };
      },
    },
    {
      method: 'GET',
      path: '/printers/:id',
      scope: 'printers:read',
      handle: ({ params }) => ({ status: 200, body: printerJson(mustGet(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/printers',
      scope: 'printers:write',
      handle: async ({ caller, readJson }) => {
        const b = parseBody(createSchema, await readJson());
        const onHub = b.hub_id !== undefined || b.local_id !== undefined;
        if (onHub && (b.hub_id === undefined || b.local_id === undefined)) {
          throwInvalid({ [b.hub_id === undefined ? 'hub_id' : 'local_id']: 'a hub publishes a printer with both hub_id and local_id' });
        }
        if (onHub && !hubs.getOwned(b.hub_id!, orgOf(caller))) throwInvalid({ hub_id: 'no hub with this id' });
        return db.transaction(() => {
          // Idempotent on (hub_id, local_id): a hub that publishes again after a restart gets the same printer,
          // brought up to date with what it says now.
          const existing = onHub ? printers.findPublished(b.hub_id!, b.local_id!) : null;
          if (existing) {
            const updated = printers.update(existing.id, {
              name: b.name,
              model: b.model,
              group: b.group,
              tags: b.tags,
              firmware: b.firmware,
              connectionType: b.connection_type,
            });
            return { status: 200 as const, body: printerJson(updated!) };
          }
          const created = printers.create({
            name: b.name,
            model: b.model,
            status: b.status ?? 'idle',
            firmware: b.firmware ?? null,
            group: b.group ?? null,
            tags: b.tags ?? [],
            connectionUrl: b.connection_url ?? null,
            apiKey: b.api_key ?? null,
            hubId: b.hub_id ?? null,
            localId: b.local_id ?? null,
            connectionType: b.connection_type ?? null,
          });
          return { status: 201 as const, body: printerJson(created) };
        })();
      },
    },
    {
      method: 'PATCH',
      path: '/printers/:id',
      scope: 'printers:write',
      handle: async ({ params, readJson }) => {
        const b = parseBody(patchSchema, await readJson());
        if (Object.keys(b).length === 0) throwInvalid({ body: 'give at least one field to change' });
        return db.transaction(() => {
          const current = mustGet(params.id!);
          if (b.current_job != null && !jobs.get(b.current_job)) throwInvalid({ current_job: 'no job with this id' });
          const changes: PrinterChanges = {
            name: b.name,
            model: b.model,
            group: b.group,
            tags: b.tags,
            connectionUrl: b.connection_url,
            apiKey: b.api_key,
            firmware: b.firmware,
            connectionType: b.connection_type,
            status: b.status,
            progress: b.progress,
            currentJob: b.current_job,
            temperatures: b.temperatures && { ...current.temperatures, ...stripUndefined(b.temperatures) },
          };
          return { status: 200 as const, body: printerJson(printers.update(current.id, changes)!) };
        })();
      },
    },
    {
      method: 'DELETE',
      path: '/printers/:id',
      scope: 'printers:write',
      handle: ({ params }) => {
        if (!printers.delete(params.id!)) throw notFound(`No printer with id ${params.id!}.`);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/printers/:id/actions',
      scope: 'printers:write',
      handle: async ({ params, readJson }) => {
        const { action } = parseBody(actionSchema, await readJson());
        return db.transaction(() => {
          const p = mustGet(params.id!);
          const outcome = applyPrinterAction(p.status, action);
          if (!outcome.ok) {
            throw invalidState(`Cannot ${action} printer ${p.id} while it is ${p.status}; ${action} fits a printer that is ${outcome.fitsStatuses.join(' or ')}.`);
          }
          const changes: PrinterChanges = { status: outcome.status };
          if (action === 'cooldown') changes.temperatures = { hotend: AMBIENT_TEMPERATURE_C, bed: AMBIENT_TEMPERATURE_C };
          if (action === 'cancel') {
            changes.currentJob = null;
            changes.progress = 0;
            const job = p.currentJob ? jobs.get(p.currentJob) : null;
            if (job && isActive(job.status)) jobs.update(job.id, { status: 'cancelled', finishedAt: now() });
          }
          return { status: 200 as const, body: printerJson(printers.update(p.id, changes)!) };
        })();
      },
    },
    {
      // A hub printer's own controls (spec printer_command): clear_bed confirms its bed-clear gate.
      method: 'POST',
      path: '/printers/:id/commands',
      scope: 'printers:write',
      handle: async ({ params, readJson }) => {
        const { action } = parseBody(commandSchema, await readJson());
        return { status: 202, body: { command_id: control.printerCommand(params.id!, action) } };
      },
    },
  ];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
