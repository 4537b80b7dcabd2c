export const ACCESS_METHODS = ['access.whoami', 'access.sessions', 'access.revoke', 'access.pair', 'access.audit', 'access.auditCsv'] as const;
