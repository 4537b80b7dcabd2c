/**
 * The scope vocabulary of the AutoPrintFarm v1 API. Scope strings are case-sensitive: `Printers:Read`
 * is not a scope, and creating a key with it is refused rather than silently granted nothing.
 */
// `materials:*` (ours): the public docs' materials endpoints, under the same resource:action grammar as the seed's.
export const ACTION_SCOPES = ['printers:read', 'printers:write', 'jobs:read', 'jobs:write', 'analytics:read', 'webhooks:write', 'materials:read', 'materials:write'] as const;
export type ActionScope = (typeof ACTION_SCOPES)[number];

/** Every grant a key may hold: the action scopes, a `<resource>:*` wildcard per resource, and `admin:*`. */
export const GRANTABLE_SCOPES: readonly string[] = [...ACTION_SCOPES, 'printers:*', 'jobs:*', 'analytics:*', 'webhooks:*', 'materials:*', 'admin:*'];

/** The scope an endpoint demands: one action scope, or `admin:*` for key management. */
export type RequiredScope = ActionScope | 'admin:*';

export function isGrantableScope(scope: string): boolean {
  return GRANTABLE_SCOPES.includes(scope);
}

/** True when one held grant covers the required scope (`printers:*` covers `printers:write`). */
export function grantCovers(grant: string, required: string): boolean {
  if (grant === 'admin:*' || grant === required) return true;
  if (!grant.endsWith(':*')) return false;
  const resource = grant.slice(0, -1); // keeps the colon: 'printers:'
  return required.startsWith(resource) && required !== 'admin:*';
}

export function holdsScope(held: readonly string[], required: string): boolean {
  return held.some((grant) => grantCovers(grant, required));
}

/**
 * The first requested scope the holder does not cover, or null. A wildcard is only covered by an equal
 * or wider wildcard: holding `printers:read` and `printers:write` does not let a key mint `printers:*`,
 * because a wildcard would also cover actions added to the API later.
 */
export function firstUnheldScope(held: readonly string[], requested: readonly string[]): string | null {
  for (const scope of requested) {
    const covered = scope.endsWith(':*') ? held.includes('admin:*') || held.includes(scope) : holdsScope(held, scope);
    if (!covered) return scope;
  }
  return null;
}

/** A hint for the 400 message when a scope is unknown, e.g. the right spelling of `Printers:Read`. */
export function suggestScope(unknown: string): string | null {
  const lower = unknown.toLowerCase();
  return GRANTABLE_SCOPES.find((s) => s === lower) ?? null;
}
