import { z } from 'zod';
import type { AccessSession, AccessWhoami, AuditEntry, PairingOffer } from '../access-types';
import { ROLES } from '../capabilities';
import { none } from './common';
import { method } from './define';

export const accessMethods = {
  'access.whoami': method<AccessWhoami>()({
    input: none,
    capability: 'app:read',
    summary: "The caller's role and capabilities, and how it is connected (transport, certificate fingerprint).",
  }),
  'access.sessions': method<AccessSession[]>()({ input: none, capability: 'access:manage', summary: 'The browser sessions that may use this host.' }),
  'access.revoke': method<AccessSession[]>()({
    input: z.object({ id: z.string().min(1).max(64) }).strict(),
    capability: 'access:manage',
    summary: 'Ends a browser session at once (its sockets close); returns the sessions left.',
  }),
  'access.pair': method<PairingOffer>()({
    input: z
      .object({
        role: z.enum(ROLES),
        label: z
          .string()
          .trim()
          .min(1)
          .max(60)
          .refine((s) => ![...s].some((c) => c < ' ' || c === '<' || c === '>'), 'no control characters or angle brackets'),
      })
      .strict(),
    capability: 'access:manage',
    summary: 'A one-time code (5 minutes) with which one more device gets a session of the given role.',
  }),
  'access.audit': method<AuditEntry[]>()({
    input: z
      .object({ limit: z.number().int().min(1).max(1000).default(200), before: z.number().int().optional() })
      .strict()
      .optional(),
    capability: 'access:manage',
    summary: 'Admin actions, newest first (page with `before`, an entry id).',
  }),
  'access.auditCsv': method<{ fileName: string; csv: string; rows: number }>()({
    input: none,
    capability: 'access:manage',
    summary: 'The whole audit log as CSV text, for the renderer to save.',
  }),
};
