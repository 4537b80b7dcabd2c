/**
 * Scope arithmetic and the plain-language review of what a key lets the app do. The grant rules follow the
 * cloud contract: `<resource>:*` covers every action on the resource, `admin:*` covers everything, and scope
 * strings are case-sensitive.
 */
import { KNOWN_SCOPES, SCOPE_INFO, type KnownScope } from '../contract/keys-types';

export const ADMIN_SCOPE = 'admin:*';

export function scopeCovers(granted: readonly string[], needed: string): boolean {
  if (granted.includes(ADMIN_SCOPE) || granted.includes(needed)) return true;
  const resource = needed.split(':')[0];
  return resource !== undefined && granted.includes(`${resource}:*`);
}

export function isKnownScope(scope: string): scope is KnownScope {
  return (KNOWN_SCOPES as readonly string[]).includes(scope);
}

export interface ScopeReview {
  can: string[];
  cannot: string[];
  warnings: string[];
}

const BASE_SCOPES = KNOWN_SCOPES.filter((s) => s !== ADMIN_SCOPE);

/** What this key lets the app do and what it cannot, one sentence per permission. */
export function reviewScopes(scopes: readonly string[], host: 'desktop' | 'headless'): ScopeReview {
  const isAdmin = scopes.includes(ADMIN_SCOPE);
  const can: string[] = [];
  const cannot: string[] = [];
  const warnings: string[] = [];

  if (isAdmin) {
    for (const scope of BASE_SCOPES) can.push(SCOPE_INFO[scope].allows);
    can.push('Create, roll and revoke the API keys of your whole organization (admin:*).');
  } else {
    for (const scope of BASE_SCOPES) {
      (scopeCovers(scopes, scope) ? can : cannot).push(scopeCovers(scopes, scope) ? SCOPE_INFO[scope].allows : SCOPE_INFO[scope].without);
    }
    cannot.push(SCOPE_INFO[ADMIN_SCOPE].without);
  }

  const unknown = scopes.filter((s) => !isKnownScope(s) && !/^[a-z]+:\*$/.test(s));
  for (const s of unknown) warnings.push(`The key also has "${s}", a permission this app does not know; it is left unused.`);
  if (scopes.length === 0) warnings.push('This key has no permissions at all: the app can check it but cannot do anything in the cloud with it.');
  if (isAdmin) {
    const where = host === 'desktop' ? 'on this computer' : 'through this host';
    warnings.push(
      `This is an admin key (admin:*). Anyone who can use the app ${where} could create and revoke every API key of ` +
        'your organization. For everyday use, create a "Farm operator" key for the app and keep the admin key for ' +
        'managing keys: the Keys screen accepts it for one session without storing it.',
    );
  }
  return { can, cannot, warnings };
}
