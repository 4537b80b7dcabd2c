import { z } from 'zod';
import { MAINTENANCE_KINDS, type MaintenanceLogEntry, type MaintenanceTaskView } from '../maintenance-types';
import { printerId } from './common';
import { method } from './define';

const taskId = z.string().uuid();
const name = z.string().trim().max(60, 'A task name is at most 60 characters.');
// A threshold is a positive number, or null for "not counted".
const everyHours = z.number().positive('Print hours must be more than 0.').max(100_000, 'Print hours are at most 100 000.').nullable();
const everyGrams = z.number().positive('Grams of filament must be more than 0.').max(10_000_000, 'Grams of filament are at most 10 000 000.').nullable();
const everyPrints = z.number().int('The number of prints is a whole number.').positive('The number of prints must be more than 0.').max(1_000_000).nullable();
const AT_LEAST_ONE = 'Give at least one threshold: print hours, grams of filament or number of prints.';
const hasThreshold = (t: { everyHours?: number | null | undefined; everyGrams?: number | null | undefined; everyPrints?: number | null | undefined }) =>
  (t.everyHours ?? null) !== null || (t.everyGrams ?? null) !== null || (t.everyPrints ?? null) !== null;

export const maintenanceMethods = {
  'maintenance.list': method<MaintenanceTaskView[]>()({
    input: z.object({ printerId }).partial().strict().optional(),
    capability: 'fleet:read',
    summary: "Maintenance tasks with their counters and state: one printer's, or every printer's.",
  }),
  'maintenance.log': method<MaintenanceLogEntry[]>()({
    input: z.object({ printerId, limit: z.number().int().min(1).max(500).default(20) }).strict(),
    capability: 'fleet:read',
    summary: "What was done on a printer and when, newest first (removed tasks' entries included).",
  }),
  'maintenance.create': method<MaintenanceTaskView>()({
    input: z
      .object({
        printerId,
        kind: z.enum(MAINTENANCE_KINDS),
        name: name.default(''),
        everyHours: everyHours.default(null),
        everyGrams: everyGrams.default(null),
        everyPrints: everyPrints.default(null),
        holdWhenDue: z.boolean().default(false),
        // `now`: the printer is taken to be freshly serviced; `history`: every print it has on record counts.
        countFrom: z.enum(['now', 'history']).default('now'),
      })
      .strict()
      .refine(hasThreshold, { message: AT_LEAST_ONE, path: ['everyHours'] })
      .refine((t) => t.kind !== 'custom' || t.name !== '', { message: 'Name the task (for example "PTFE tube").', path: ['name'] }),
    capability: 'maintenance:write',
    summary: 'Adds a maintenance task to a printer.',
  }),
  'maintenance.update': method<MaintenanceTaskView>()({
    input: z
      .object({
        taskId,
        name: name.optional(),
        everyHours: everyHours.optional(),
        everyGrams: everyGrams.optional(),
        everyPrints: everyPrints.optional(),
        holdWhenDue: z.boolean().optional(),
      })
      .strict(),
    capability: 'maintenance:write',
    summary: "Edits a task's name, thresholds or hold (its counters stay).",
  }),
  'maintenance.remove': method<{ ok: true }>()({
    input: z.object({ taskId }).strict(),
    capability: 'maintenance:write',
    summary: 'Removes a task; what was done under it stays in the log.',
  }),
  'maintenance.markDone': method<{ task: MaintenanceTaskView; entry: MaintenanceLogEntry }>()({
    input: z
      .object({
        taskId,
        note: z.string().trim().max(500, 'A note is at most 500 characters.').default(''),
        // Who did it, when the person typing is not the session's device (a shared farm PC).
        by: z.string().trim().max(60).optional(),
      })
      .strict(),
    capability: 'maintenance:write',
    summary: 'Records a task as done now: its counters start again and a printer it held is released.',
  }),
};
