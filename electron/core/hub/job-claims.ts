import type { PassedOffer } from '../contract/hub-types';
import type { MaterialMatching, MaterialNeed } from '../contract/materials-types';
import { describeNeed, misfit, normaliseHex, sameMaterial, type LoadedFilament } from '../materials/matching';

/** `job_offer` as the cloud sends it in pull mode (cloud-hub.md "Pull mode"). */
export interface JobOffer {
  type: 'job_offer';
  job_id: string;
  file_name: string;
  /** `color` (a #RRGGBB code or a name) and `filament_grams` are ours: what the job's file uses. */
  requirements?: { printer_model?: string; nozzle?: number | string; material?: string; color?: string; filament_grams?: number };
  expires_at: string;
}

/** A published printer that could start a job now, with what the farm knows of it. */
export interface ClaimCandidate {
  cloudPrinterId: string;
  /** As shown in reasons ("Prusa MK4 #2"). */
  name: string;
  /** The model it is published with (what `printer_model` is matched against). */
  model: string;
  /** The spool loaded, or unknown. */
  filament: LoadedFilament;
  /** The material and nozzle its farm profile names, if any. */
  profileMaterial: string | null;
  nozzleDiameter: number | null;
}

export interface JobClaimsDeps {
  /** Published printers that could start a job now (idle, connected, bed clear, nothing running, not held). */
  readyPrinters(): ClaimCandidate[];
  /** The farm's `materialMatching` setting, read at each offer. */
  matching(): MaterialMatching;
  send(message: Record<string, unknown> & { type: string }): boolean;
  now(): number;
  /** The offers left for other hubs changed (for the hub's status). */
  onPassed?(passed: PassedOffer[]): void;
}

/** How long a printer stays promised after `job_claimed` while its print_command downloads the file. */
const CLAIMED_HOLD_MS = 120_000;
/** How many offers left for others the status keeps, newest first. */
const PASSED_KEPT = 10;
/** How many printers a reason names before "…". */
const NAMED = 3;

/** What an offer asks of the filament, in the queue's terms (materials/matching.ts). Null when it asks nothing. */
export function offerNeed(req: NonNullable<JobOffer['requirements']>): MaterialNeed | null {
  const material = req.material?.trim() || null;
  const colour = req.color?.trim() || null;
  const colourHex = colour === null ? null : normaliseHex(colour);
  const grams = typeof req.filament_grams === 'number' && req.filament_grams > 0 ? req.filament_grams : null;
  if (material === null && colour === null && grams === null) return null;
  return { material, colourHex, colourName: colourHex === null ? colour : null, grams, mm: null, edited: false };
}

/**
 * Why a printer cannot take an offer, by the same rules as the local queue, or null when it can: its model, its
 * nozzle (from its farm profile), and its filament: the spool loaded must be of the material and colour and hold the
 * grams (`misfit`, under the farm's `materialMatching`); with no spool loaded, the material its profile names counts
 * (`when-known`), and `require-spool` wants a spool.
 */
export function claimMisfit(req: NonNullable<JobOffer['requirements']>, p: ClaimCandidate, matching: MaterialMatching): string | null {
  const model = req.printer_model?.trim();
  if (model && p.model.trim().toLowerCase() !== model.toLowerCase()) return `is a ${p.model}`;
  if (req.nozzle !== undefined) {
    const wanted = Number(req.nozzle);
    if (p.nozzleDiameter === null) return 'has no nozzle size in its farm profile';
    if (!(Math.abs(p.nozzleDiameter - wanted) < 0.005)) return `has a ${p.nozzleDiameter} mm nozzle`;
  }
  const need = offerNeed(req);
  const why = misfit(need, p.filament, matching);
  if (why !== null) return why;
  if (matching !== 'off' && need?.material && p.filament.kind === 'unknown' && p.profileMaterial && !sameMaterial(p.profileMaterial, need.material)) {
    return `is set up for ${p.profileMaterial}`;
  }
  return null;
}

/**
 * Pull mode from the hub's side: answers a `job_offer` with `job_claim` for one ready printer that can print it
 * (model, nozzle, and the filament the job needs loaded with enough grams, by the queue's own rules), and never
 * promises one printer twice (a claim holds it until the cloud says `job_taken`, the offer expires, or the
 * print_command's job takes it). An offer no printer here fits is left for another hub, with the reason kept for the
 * hub's status. The cloud picks one claimant atomically, so claiming is always safe.
 */
export class JobClaims {
  /** cloud printer id → the job it is promised to, until when. */
  private readonly held = new Map<string, { jobId: string; until: number }>();
  private passedOffers: PassedOffer[] = [];

  constructor(private readonly deps: JobClaimsDeps) {}

  /** Offers left for other hubs, newest first, with why. */
  passed(): PassedOffer[] {
    return [...this.passedOffers];
  }

  onOffer(offer: JobOffer): void {
    const req = offer.requirements ?? {};
    const now = this.deps.now();
    for (const [id, hold] of this.held) if (hold.until <= now) this.held.delete(id);
    if ([...this.held.values()].some((h) => h.jobId === offer.job_id)) return;
    const matching = this.deps.matching();
    const misfits: string[] = [];
    const fits: ClaimCandidate[] = [];
    const ready = this.deps.readyPrinters().filter((p) => !this.held.has(p.cloudPrinterId));
    for (const p of ready) {
      const why = claimMisfit(req, p, matching);
      if (why === null) fits.push(p);
      else misfits.push(`${p.name} ${why}`);
    }
    // A printer known to have the filament goes before one whose filament is unknown.
    const printer = fits.find((p) => p.filament.kind === 'spool') ?? fits[0];
    if (!printer) return this.pass(offer, ready.length === 0 ? 'No printer here is idle with a clear bed.' : this.reason(req, misfits));
    const expires = Date.parse(offer.expires_at);
    this.held.set(printer.cloudPrinterId, { jobId: offer.job_id, until: Number.isFinite(expires) ? expires : now + 30_000 });
    if (!this.deps.send({ type: 'job_claim', job_id: offer.job_id, printer_id: printer.cloudPrinterId })) this.held.delete(printer.cloudPrinterId);
    else this.forget(offer.job_id);
  }

  /** Ours: the print_command follows; the printer stays promised while it downloads. */
  onClaimed(jobId: string, cloudPrinterId: string): void {
    this.held.set(cloudPrinterId, { jobId, until: this.deps.now() + CLAIMED_HOLD_MS });
  }

  /** Someone else's (or too late): the printer is free for the next offer. */
  onTaken(jobId: string): void {
    for (const [id, hold] of this.held) if (hold.jobId === jobId) this.held.delete(id);
    this.forget(jobId);
  }

  /** The job is now a local job on its printer (the farm keeps the printer busy from here). */
  onAccepted(jobId: string): void {
    this.onTaken(jobId);
  }

  private reason(req: NonNullable<JobOffer['requirements']>, misfits: string[]): string {
    const need = offerNeed(req);
    const what = [req.printer_model, req.nozzle !== undefined ? `${req.nozzle} mm nozzle` : null, need ? describeNeed(need) : null].filter(Boolean).join(', ');
    const named = misfits.slice(0, NAMED).join('; ') + (misfits.length > NAMED ? '; …' : '');
    return `No idle printer here has ${what || 'what it needs'}: ${named}. Left for another hub.`;
  }

  private pass(offer: JobOffer, reason: string): void {
    const entry: PassedOffer = { jobId: offer.job_id, fileName: offer.file_name, reason, at: this.deps.now() };
    this.passedOffers = [entry, ...this.passedOffers.filter((p) => p.jobId !== offer.job_id)].slice(0, PASSED_KEPT);
    this.deps.onPassed?.(this.passed());
  }

  private forget(jobId: string): void {
    const before = this.passedOffers.length;
    this.passedOffers = this.passedOffers.filter((p) => p.jobId !== jobId);
    if (this.passedOffers.length !== before) this.deps.onPassed?.(this.passed());
  }
}
