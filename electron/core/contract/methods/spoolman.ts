import { z } from 'zod';
import type { SpoolmanCheck, SpoolmanStatus } from '../spoolman-types';
import { none } from './common';
import { method } from './define';

/** A Spoolman server's address as typed: http(s) only; `/api/v1` and a trailing slash are taken off later. */
const spoolmanUrl = z
  .string()
  .trim()
  .min(1, "Give Spoolman's address, e.g. http://192.168.1.20:7912.")
  .max(500)
  .refine((s) => /^https?:\/\/[^\s/]+/i.test(s), "Spoolman's address starts with http:// or https://, e.g. http://192.168.1.20:7912.");

export const spoolmanMethods = {
  'spoolman.status': method<SpoolmanStatus>()({
    input: none,
    capability: 'fleet:read',
    summary: 'Where the spools are kept (here or a Spoolman server), and how the link to Spoolman is doing.',
  }),
  'spoolman.check': method<SpoolmanCheck>()({
    input: z.object({ url: spoolmanUrl }).strict(),
    capability: 'settings:write',
    summary: 'Asks a Spoolman server for its version (/api/v1/info) without changing anything; a clear error when it does not answer.',
  }),
  'spoolman.configure': method<SpoolmanStatus>()({
    input: z.object({ url: spoolmanUrl.nullable() }).strict(),
    capability: 'settings:write',
    summary: 'Keeps the spools on this Spoolman server from now on (checked first), or here again with null.',
  }),
  'spoolman.sync': method<SpoolmanStatus>()({
    input: none,
    capability: 'materials:write',
    summary: "Reads Spoolman's spools now and sends the uses waiting for it.",
  }),
};
