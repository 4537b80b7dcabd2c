/**
 * What a caller may do. A host grants a set of these to each session; every method names the one it needs.
 * The desktop window and a headless session opened with the host's token hold all of them; narrower tokens
 * (a wall display that only watches) can be granted fewer.
 */
export const CAPABILITIES = ['app:read', 'fleet:read', 'fleet:control', 'fleet:manage', 'settings:write', 'keys:manage', 'jobs:write'] as const;
export type Capability = (typeof CAPABILITIES)[number];
