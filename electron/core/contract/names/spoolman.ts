export const SPOOLMAN_METHODS = ['spoolman.status', 'spoolman.check', 'spoolman.configure', 'spoolman.sync'] as const;
