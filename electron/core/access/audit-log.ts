import type { AuditEntry } from '../contract';
import type { Db } from '../store/database';

/**
 * Fields whose values an audit summary shows. Every other field is named without its value (`secret=…`), so
 * a key, an access code, a password or a URL with credentials in it never reaches the log, whatever a method
 * adds later: a new field is hidden until it is listed here.
 */
const SHOWN_FIELDS = new Set([
  'id',
  'printerId',
  'cameraId',
  'jobId',
  'name',
  'label',
  'role',
  'kind',
  'theme',
  'model',
  'environment',
  'enabled',
  'material',
  'group',
  'days',
  'scope',
  'scopes',
  'port',
  'baudRate',
  'path',
  'priority',
]);

/** What a call asked for, without secrets: `name="Voron", kind=moonraker, url=…`. */
export function auditSummary(input: unknown): string {
  if (input === undefined || input === null) return '';
  if (typeof input !== 'object' || Array.isArray(input)) return '…';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === undefined) continue;
    parts.push(`${key}=${SHOWN_FIELDS.has(key) ? shown(value) : '…'}`);
  }
  return parts.join(', ').slice(0, 500);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return `[${value.slice(0, 10).map(shown).join(' ')}]`;
  return '…';
}

type Row = { id: number; at: number; session_id: string | null; actor: string; method: string; summary: string; outcome: string };
const fromRow = (r: Row): AuditEntry => ({ id: r.id, at: r.at, sessionId: r.session_id, actor: r.actor, method: r.method, summary: r.summary, outcome: r.outcome });

/** Every admin action: who (session and device), what (method and a secret-free summary), when, and how it ended. */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  record(entry: { sessionId: string | null; actor: string; method: string; summary: string; outcome: string }): void {
    this.db
      .prepare('INSERT INTO audit_log (at, session_id, actor, method, summary, outcome) VALUES (?, ?, ?, ?, ?, ?)')
      .run(this.now(), entry.sessionId, entry.actor.slice(0, 100), entry.method, entry.summary, entry.outcome);
  }

  list(opts: { limit: number; before?: number | undefined }): AuditEntry[] {
    const rows = (
      opts.before === undefined
        ? this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(opts.limit)
        : this.db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?').all(opts.before, opts.limit)
    ) as Row[];
    return rows.map(fromRow);
  }

  csv(): { csv: string; rows: number } {
    const rows = (this.db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Row[]).map(fromRow);
    const lines = ['id,time,session,actor,method,summary,outcome'];
    for (const e of rows) lines.push([e.id, new Date(e.at).toISOString(), e.sessionId ?? '', e.actor, e.method, e.summary, e.outcome].map(csvCell).join(','));
    return { csv: `${lines.join('\r\n')}\r\n`, rows: rows.length };
  }
}

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula (=, +, -, @). */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
