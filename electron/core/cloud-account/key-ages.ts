/**
 * What the key list says about each key beyond the server's fields: its age, whether it went unused for
 * 30 days (consider revoking) and whether it is 90 days old (rotate it), following the docs' advice.
 */
import type { ApiKeyInfo } from '../cloud';
import { KEY_ROTATION_DAYS, KEY_UNUSED_DAYS, type ManagedKey } from '../contract/keys-types';

const DAY_MS = 86_400_000;

export function toManagedKey(info: ApiKeyInfo, ctx: { now: number; appKeyId: string | null; adminKeyId: string | null }): ManagedKey {
  const created = Date.parse(info.created_at);
  const lastUsed = info.last_used_at === null ? null : Date.parse(info.last_used_at);
  const ageDays = Number.isFinite(created) ? Math.max(0, Math.floor((ctx.now - created) / DAY_MS)) : 0;
  const idleSince = lastUsed ?? created;
  const unused = Number.isFinite(idleSince) && ctx.now - idleSince >= KEY_UNUSED_DAYS * DAY_MS;
  return {
    id: info.id,
    name: info.name,
    scopes: [...info.scopes],
    mask: info.prefix !== undefined && info.last4 !== undefined ? `${info.prefix}…${info.last4}` : null,
    createdAt: info.created_at,
    lastUsedAt: info.last_used_at,
    requestCount: info.request_count ?? null,
    expiresAt: info.expires_at ?? null,
    ageDays,
    isAppKey: ctx.appKeyId !== null && info.id === ctx.appKeyId,
    isAdminSessionKey: ctx.adminKeyId !== null && info.id === ctx.adminKeyId,
    unused,
    rotationDue: ageDays >= KEY_ROTATION_DAYS,
  };
}
