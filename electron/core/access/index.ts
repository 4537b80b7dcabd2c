export { AccessService, roleFor, type ServingInfo } from './access-service';
export { AccessSessions, SESSION_IDLE_MS, type Authentication, type SessionRecord } from './sessions';
export { PairingCodes, PAIRING_TTL_MS } from './pairing';
export { AuditLog, auditSummary, csvCell } from './audit-log';
