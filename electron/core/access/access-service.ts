import { ROLE_CAPABILITIES, ROLES, type AccessSession, type AccessWhoami, type Capability, type MethodName, type Role } from '../contract';
import type { ACCESS_METHODS } from '../contract/names/access';
import { AppError } from '../errors';
import type { CallContext, HandlersFor } from '../rpc/dispatch';
import type { Db } from '../store/database';
import { AuditLog, auditSummary } from './audit-log';
import { PairingCodes } from './pairing';
import { AccessSessions, type SessionRecord } from './sessions';

/** How the host serving browsers is reached; the desktop window is not served at all. */
export interface ServingInfo {
  transport: 'desktop' | 'http' | 'https';
  fingerprint256: string | null;
  /** Where another device opens the pairing page. */
  pairUrls: string[];
  lan: boolean;
}

/** Reads of the access data itself are not actions: recording them would only bury the actions. */
const NOT_AUDITED = new Set<MethodName>(['access.sessions', 'access.audit']);

/**
 * Who may use the host: browser sessions and their roles, pairing codes, and the audit log of admin actions.
 * The headless host authenticates cookies and redeems codes through it; the contract's `access.*` methods read
 * and change it.
 */
export class AccessService {
  readonly sessions: AccessSessions;
  readonly pairing: PairingCodes;
  readonly audit: AuditLog;
  private serving: ServingInfo;

  constructor(db: Db, now: () => number, host: 'desktop' | 'headless', opts: { sessionIdleMs?: number } = {}) {
    this.sessions = new AccessSessions(db, now, opts.sessionIdleMs);
    this.pairing = new PairingCodes(now);
    this.audit = new AuditLog(db, now);
    this.serving = { transport: host === 'desktop' ? 'desktop' : 'http', fingerprint256: null, pairUrls: [], lan: false };
  }

  /** The headless server says how it is reached once it listens. */
  setServing(info: ServingInfo): void {
    this.serving = info;
  }

  /** Called by the dispatcher after each admin call (see ADMIN_CAPABILITIES). */
  recordAdminCall(method: MethodName, input: unknown, ctx: CallContext, outcome: string): void {
    if (NOT_AUDITED.has(method)) return;
    const actor = ctx.actor ? `${ctx.actor.label} (${ctx.actor.sessionId.slice(0, 8)})` : this.serving.transport === 'desktop' ? 'Desktop window' : 'Local call';
    this.audit.record({ sessionId: ctx.actor?.sessionId ?? null, actor, method, summary: auditSummary(input), outcome });
  }

  handlers(): HandlersFor<(typeof ACCESS_METHODS)[number]> {
    return {
      'access.whoami': async (_input, ctx) => this.whoami(ctx),
      'access.sessions': async (_input, ctx) => this.sessions.list().map((s) => view(s, ctx)),
      'access.revoke': async ({ id }, ctx) => {
        this.sessions.revoke(id);
        return this.sessions.list().map((s) => view(s, ctx));
      },
      'access.pair': async ({ role, label }) => {
        if (this.serving.transport === 'desktop') {
          throw new AppError('unsupported', 'Devices pair with a farm PC served by `apf serve --allow-lan`; the desktop window serves no other device.');
        }
        const { code, expiresAt } = this.pairing.create(role, label);
        return { code, role, label, urls: this.serving.pairUrls, fingerprint256: this.serving.fingerprint256, expiresAt };
      },
      'access.audit': async (input) => this.audit.list({ limit: input?.limit ?? 200, before: input?.before }),
      'access.auditCsv': async () => {
        const { csv, rows } = this.audit.csv();
        return { fileName: `autoprintfarm-audit-${new Date().toISOString().slice(0, 10)}.csv`, csv, rows };
      },
    };
  }

  private whoami(ctx: CallContext): AccessWhoami {
    const session = ctx.actor ? this.sessions.get(ctx.actor.sessionId) : null;
    const role: Role = session?.role ?? roleFor(ctx.capabilities);
    return {
      role,
      capabilities: [...ctx.capabilities],
      sessionId: session?.id ?? null,
      label: session?.label ?? (this.serving.transport === 'desktop' ? 'Desktop window' : 'Local call'),
      connection: {
        transport: this.serving.transport,
        fingerprint256: this.serving.fingerprint256,
        lanUrls: this.serving.lan ? this.serving.pairUrls : [],
      },
    };
  }
}

/** The narrowest role holding every capability the caller has. */
export function roleFor(capabilities: ReadonlySet<Capability>): Role {
  return ROLES.find((r) => [...capabilities].every((c) => ROLE_CAPABILITIES[r].includes(c))) ?? 'admin';
}

function view(s: SessionRecord, ctx: CallContext): AccessSession {
  return {
    id: s.id,
    role: s.role,
    label: s.label,
    userAgent: s.userAgent,
    address: s.address,
    via: s.via,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    current: ctx.actor?.sessionId === s.id,
  };
}
