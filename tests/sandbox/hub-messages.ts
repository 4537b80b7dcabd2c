/**
 * What the cloud does with each message a greeted hub sends (spec/cloud-hub.md, "Hub → cloud"). A message
 * whose fields do not fit is answered with `error { code: "invalid_message" }` naming them; a message about
 * a printer or job that is not this hub's with `error { code: "not_yours" }`; neither closes the socket.
 */
import type { z } from 'zod';
import { HUB_MESSAGE_SCHEMAS, type CloudMessage, type PrinterDiscoveredMessage, type PrinterStatusMessage } from './hub-protocol';
import type { JobControl } from './job-control';
import type { JobRepo } from './jobs';
import type { PrinterRepo } from './printers';
import type { Db } from './store';

export interface HubMessageDeps {
  db: Db;
  hubId: string;
  printers: PrinterRepo;
  jobs: JobRepo;
  jobControl: JobControl;
  now: () => number;
  send(message: CloudMessage): void;
  log: (line: string) => void;
  /** Called after each message the cloud accepted, with the message as parsed (for tests and benchmarks). */
  onHubMessage?: (hubId: string, message: { type: string } & Record<string, unknown>) => void;
}

export type MessageOutcome = 'applied' | 'refused' | 'unknown_type';

type Handlers = { [T in keyof typeof HUB_MESSAGE_SCHEMAS]: (d: HubMessageDeps, m: z.output<(typeof HUB_MESSAGE_SCHEMAS)[T]>) => boolean };

const HANDLERS: Handlers = {
  printer_status: applyPrinterStatus,
  file_progress: (d, m) => refuseIf(d, d.jobControl.applyFileProgress(d.hubId, m)),
  command_ack: (d, m) => {
    const result = d.jobControl.applyCommandAck(d.hubId, m);
    if (result === 'unknown') d.log(`sandbox: hub ${d.hubId} acked command ${m.command_id.slice(0, 60)}, which was not sent to it; ignored`);
    return result !== 'unknown';
  },
  printer_discovered: applyDiscovered,
  job_event: (d, m) => (d.jobControl.applyEvent(d.hubId, m), true),
  job_claim: (d, m) => (d.jobControl.claim(d.hubId, m), true),
};

export function applyHubMessage(d: HubMessageDeps, type: string, raw: unknown): MessageOutcome {
  if (!Object.hasOwn(HANDLERS, type)) return 'unknown_type';
  const key = type as keyof Handlers;
  const parsed = HUB_MESSAGE_SCHEMAS[key].safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'body'))].join(', ');
    d.send({ type: 'error', code: 'invalid_message', message: `${type} has invalid fields: ${fields}.` });
    return 'refused';
  }
  const handler = HANDLERS[key] as (d: HubMessageDeps, m: unknown) => boolean;
  if (!handler(d, parsed.data)) return 'refused';
  d.onHubMessage?.(d.hubId, { type, ...(parsed.data as Record<string, unknown>) });
  return 'applied';
}

function refuseIf(d: HubMessageDeps, reason: string | null): boolean {
  if (reason === null) return true;
  d.send({ type: 'error', code: 'not_yours', message: reason });
  return false;
}

/**
 * The printer's live state as the hub reports it: status, nozzle and bed temperatures, progress, and the
 * whole report kept for what the common fields do not hold. A printing job's progress follows.
 */
function applyPrinterStatus(d: HubMessageDeps, m: PrinterStatusMessage): boolean {
  return d.db.transaction(() => {
    const printer = d.printers.get(m.printer_id);
    if (!printer || printer.hubId !== d.hubId) return refuseIf(d, `Printer ${m.printer_id} is not a printer of this hub.`);
    const { printer_id: _, ...report } = m;
    const t = m.temperatures ?? {};
    const progress = m.progress_percentage ?? undefined;
    d.printers.update(printer.id, {
      status: m.status,
      progress,
      temperatures: { hotend: t.nozzle ?? printer.temperatures.hotend, bed: t.bed ?? printer.temperatures.bed },
      hubReport: { ...report, reported_at: new Date(d.now()).toISOString() },
    });
    const job = printer.currentJob === null ? null : d.jobs.get(printer.currentJob);
    if (job && progress !== undefined && job.status === 'printing') d.jobs.update(job.id, { progress });
    return true;
  })();
}

/** The hub's latest discovery result replaces its previous one; `GET /hubs/:id/discovered` shows it. */
function applyDiscovered(d: HubMessageDeps, m: PrinterDiscoveredMessage): boolean {
  d.db
    .prepare(
      `INSERT INTO discovered_printers (hub_id, printers, reported_at) VALUES (?, ?, ?)
       ON CONFLICT(hub_id) DO UPDATE SET printers = excluded.printers, reported_at = excluded.reported_at`,
    )
    .run(d.hubId, JSON.stringify(m.printers), d.now());
  return true;
}
