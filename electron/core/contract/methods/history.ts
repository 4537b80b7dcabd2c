import { z } from 'zod';
import type { HistoryAnalytics, HistoryEntry } from '../jobs-types';
import { method } from './define';

const days = z.number().int().min(1).max(3660);

export const historyMethods = {
  'history.list': method<HistoryEntry[]>()({
    input: z
      .object({ limit: z.number().int().min(1).max(1000).default(200), before: z.number().int().optional() })
      .strict()
      .optional(),
    capability: 'fleet:read',
    summary: 'Finished jobs, newest first (page with `before`, an entry id).',
  }),
  'history.analytics': method<HistoryAnalytics>()({
    input: z
      .object({ days: days.default(30) })
      .strict()
      .optional(),
    capability: 'fleet:read',
    summary: 'Utilisation per printer, success rate, filament by material and prints per day over the last N days.',
  }),
  'history.exportCsv': method<{ fileName: string; csv: string; rows: number }>()({
    input: z.object({ days: days.optional() }).strict().optional(),
    capability: 'fleet:read',
    summary: 'The history as CSV text (all of it, or the last N days), for the renderer to save.',
  }),
};
