/**
 * What a caller may do. A host grants a set of these to each session; every method names the one it needs.
 * The desktop window holds all of them; a browser session of `apf serve` holds those of its role.
 */
export const CAPABILITIES = [
  'app:read',
  'fleet:read',
  'fleet:control',
  'fleet:manage',
  'settings:write',
  'keys:manage',
  'jobs:write',
  'materials:write',
  'maintenance:write',
  'access:manage',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * Who a browser session is. `viewer` sees everything and changes nothing; `operator` also controls printers and
 * runs the queue (confirming a clear bed included) and keeps the spools (adding, editing, loading) and the printers' maintenance (tasks, thresholds, marking them done); `admin` also manages keys, the cloud link, printers and their
 * credentials, settings, and the sessions themselves.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_CAPABILITIES: { readonly [R in Role]: readonly Capability[] } = {
  viewer: ['app:read', 'fleet:read'],
  operator: ['app:read', 'fleet:read', 'fleet:control', 'jobs:write', 'materials:write', 'maintenance:write'],
  admin: CAPABILITIES,
};

/** The capabilities only an admin holds: a call that needs one of them is an admin action, and is audited. */
export const ADMIN_CAPABILITIES: readonly Capability[] = CAPABILITIES.filter((c) => !ROLE_CAPABILITIES.operator.includes(c));
