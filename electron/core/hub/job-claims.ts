/** `job_offer` as the cloud sends it in pull mode (cloud-hub.md "Pull mode"). */
export interface JobOffer {
  type: 'job_offer';
  job_id: string;
  file_name: string;
  requirements?: { printer_model?: string; nozzle?: number | string; material?: string };
  expires_at: string;
}

export interface JobClaimsDeps {
  /** Published printers that could start a job now (idle, connected, bed clear, nothing running), by cloud id. */
  readyPrinters(): { cloudPrinterId: string; model: string }[];
  send(message: Record<string, unknown> & { type: string }): boolean;
  now(): number;
}

/** How long a printer stays promised after `job_claimed` while its print_command downloads the file. */
const CLAIMED_HOLD_MS = 120_000;

/**
 * Pull mode from the hub's side: answers a `job_offer` with `job_claim` for one ready, compatible printer, and
 * never promises one printer twice (a claim holds it until the cloud says `job_taken`, the offer expires, or the
 * print_command's job takes it). The cloud picks one claimant atomically, so claiming is always safe; what the
 * hub cannot check (nozzle, material: not known here) is not claimed rather than guessed.
 */
export class JobClaims {
  /** cloud printer id → the job it is promised to, until when. */
  private readonly held = new Map<string, { jobId: string; until: number }>();

  constructor(private readonly deps: JobClaimsDeps) {}

  onOffer(offer: JobOffer): void {
    const req = offer.requirements ?? {};
    if (req.nozzle !== undefined || req.material !== undefined) return;
    const now = this.deps.now();
    for (const [id, hold] of this.held) if (hold.until <= now) this.held.delete(id);
    if ([...this.held.values()].some((h) => h.jobId === offer.job_id)) return;
    const wanted = req.printer_model?.trim().toLowerCase();
    const printer = this.deps.readyPrinters().find((p) => !this.held.has(p.cloudPrinterId) && (wanted === undefined || p.model.trim().toLowerCase() === wanted));
    if (!printer) return;
    const expires = Date.parse(offer.expires_at);
    this.held.set(printer.cloudPrinterId, { jobId: offer.job_id, until: Number.isFinite(expires) ? expires : now + 30_000 });
    if (!this.deps.send({ type: 'job_claim', job_id: offer.job_id, printer_id: printer.cloudPrinterId })) this.held.delete(printer.cloudPrinterId);
  }

  /** Ours: the print_command follows; the printer stays promised while it downloads. */
  onClaimed(jobId: string, cloudPrinterId: string): void {
    this.held.set(cloudPrinterId, { jobId, until: this.deps.now() + CLAIMED_HOLD_MS });
  }

  /** Someone else's (or too late): the printer is free for the next offer. */
  onTaken(jobId: string): void {
    for (const [id, hold] of this.held) if (hold.jobId === jobId) this.held.delete(id);
  }

  /** The job is now a local job on its printer (the farm keeps the printer busy from here). */
  onAccepted(jobId: string): void {
    this.onTaken(jobId);
  }
}
