import { z } from 'zod';
import {
  KNOWN_SCOPES,
  type AdminAccess,
  type CloudStatus,
  type CreatedKeyResult,
  type KeyListResult,
  type RevokeResult,
  type SetupCheckResult,
  type SetupSaveResult,
} from '../keys-types';
import { none } from './common';
import { method } from './define';

// Generous bounds: the core parses the key itself and explains what is wrong; these only stop abuse.
const pastedKey = z.string().max(1024);
const keyId = z.string().min(1).max(128);
const keyName = z.string().trim().min(1, 'Give the key a name').max(100);

export const keyMethods = {
  'keys.status': method<CloudStatus>()({ input: none, capability: 'app:read', summary: 'The cloud connection: key mask, account, server.' }),
  'keys.setup.check': method<SetupCheckResult>()({
    input: z
      .object({
        key: pastedKey.optional(),
        useEnvironmentKey: z.boolean().optional(),
        baseUrl: z.string().max(2048).optional(),
      })
      .strict(),
    capability: 'keys:manage',
    summary: 'Wizard: checks a pasted (or environment) key locally and against the cloud, and explains its scopes.',
  }),
  'keys.setup.save': method<SetupSaveResult>()({
    input: z.object({ storeWeakly: z.boolean().optional() }).strict(),
    capability: 'keys:manage',
    summary: 'Wizard: saves the checked key in the vault.',
  }),
  'keys.setup.cancel': method<CloudStatus>()({ input: none, capability: 'keys:manage', summary: 'Wizard: forgets the key being checked.' }),
  'keys.setup.skip': method<CloudStatus>()({ input: none, capability: 'keys:manage', summary: 'Wizard: use the app offline for now.' }),
  'keys.forget': method<CloudStatus>()({ input: none, capability: 'keys:manage', summary: 'Removes the app key from memory and settings.' }),
  'keys.allowWeakStorage': method<CloudStatus>()({
    input: z.object({ allow: z.boolean() }).strict(),
    capability: 'keys:manage',
    summary: 'Consent (or not) to store the key without a real keyring.',
  }),
  'keys.admin.access': method<AdminAccess>()({ input: none, capability: 'keys:manage', summary: 'Can the key screen manage keys, and with which key.' }),
  'keys.admin.useSessionKey': method<AdminAccess>()({
    input: z.object({ key: pastedKey }).strict(),
    capability: 'keys:manage',
    summary: 'Uses an admin key for this session only; it is never stored.',
  }),
  'keys.admin.dropSessionKey': method<AdminAccess>()({ input: none, capability: 'keys:manage', summary: 'Forgets the session admin key.' }),
  'keys.list': method<KeyListResult>()({ input: none, capability: 'keys:manage', summary: 'All keys of the organization, annotated.' }),
  'keys.create': method<CreatedKeyResult>()({
    input: z.object({ name: keyName, scopes: z.array(z.enum(KNOWN_SCOPES)).min(1, 'Pick at least one permission').max(KNOWN_SCOPES.length) }).strict(),
    capability: 'keys:manage',
    summary: 'Creates a key; its value is returned once.',
  }),
  'keys.roll': method<CreatedKeyResult>()({
    input: z.object({ id: keyId }).strict(),
    capability: 'keys:manage',
    summary: 'Rolls a key (the old one works 24 more hours); the app takes its own rolled key over itself.',
  }),
  'keys.revoke': method<RevokeResult>()({
    input: z.object({ id: keyId, confirmName: z.string().max(200), replace: z.boolean().optional() }).strict(),
    capability: 'keys:manage',
    summary: "Revokes a key at once, after the user typed its name; the app's own key only with a replacement.",
  }),
};
