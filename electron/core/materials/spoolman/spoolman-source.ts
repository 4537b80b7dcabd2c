import type { SpoolFields, SpoolView } from '../../contract/materials-types';
import type { SpoolmanCheck, SpoolmanStatus, SpoolSourceKind } from '../../contract/spoolman-types';
import { AppError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { SettingsStore } from '../../ports/settings-store';
import type { Db } from '../../store/database';
import type { SpoolInventory } from '../spool-inventory';
import type { SpoolSource } from '../spool-source';
import { fieldsOf } from '../spool-inventory';
import { mirrorId } from '../spool-store';
import type { SmSpool } from './spoolman-api';
import { SpoolmanClient, SpoolmanError, spoolmanBaseUrl, type SpoolmanClientOptions } from './spoolman-client';
import { filamentFor, filamentSideChanged, fieldsFromSpoolman, findFilament, findVendor, spoolWrite } from './spoolman-mapping';
import { SpoolmanUseOutbox, type SpoolmanUse } from './use-outbox';

const URL_KEY = 'spoolman.url';
const ENABLED_KEY = 'spoolman.enabled';
/** Spoolman's `used_weight` is a float sum; a use counts as there when within this of what we sent. */
const GRAMS_EPSILON = 0.005;
const REFRESH_MS = 30_000;
const RETRY_MS = [2_000, 5_000, 15_000, 30_000, 60_000];

export interface SpoolmanSourceDeps {
  db: Db;
  settings: SettingsStore;
  clock: Clock;
  inventory: () => SpoolInventory;
  onStatus: (status: SpoolmanStatus) => void;
  client?: SpoolmanClientOptions;
  /** Background refresh and retries (off in tests that drive `refresh` and `flush` themselves). */
  timers?: boolean;
}

/**
 * The spools kept on a Spoolman server. Its spools are mirrored into the local tables (`spoolman-<id>`), so the
 * queue, printer slots and usage rows work as for local ones, and keep working while Spoolman is down. Creating,
 * editing and archiving go to Spoolman first and the mirror follows its answer; a print's use is queued durably
 * (`spoolman_uses`, in the job's end transaction) and sent with `PUT /spool/{id}/use` exactly once — see `flush`.
 */
export class SpoolmanSource implements SpoolSource {
  readonly kind = 'spoolman' as const;
  private readonly uses: SpoolmanUseOutbox;
  private url: string | null;
  private enabled: boolean;
  private client: SpoolmanClient | null = null;
  private state: Pick<SpoolmanStatus, 'reachable' | 'version' | 'problem' | 'lastSyncAt' | 'skippedSpools'> = {
    reachable: null,
    version: null,
    problem: null,
    lastSyncAt: null,
    skippedSpools: 0,
  };
  private flushing: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;
  private retry: { cancel(): void } | null = null;
  private retries = 0;
  private ticker: { cancel(): void } | null = null;
  private closed = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: SpoolmanSourceDeps) {
    this.uses = new SpoolmanUseOutbox(d.db);
    const url = d.settings.get(URL_KEY);
    this.url = typeof url === 'string' ? safeBase(url) : null;
    this.enabled = this.url !== null && d.settings.get(ENABLED_KEY) !== false;
    if (this.url) this.client = new SpoolmanClient(this.url, d.client);
  }

  /** Where spools are kept now. */
  get source(): SpoolSourceKind {
    return this.enabled ? 'spoolman' : 'local';
  }

  /** After the inventory exists: read Spoolman and send what waits, then keep doing so in the background. */
  start(): void {
    if (!this.enabled) return;
    this.startTicker();
    void this.sync().catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.retry?.cancel();
    this.ticker?.cancel();
  }

  status(): SpoolmanStatus {
    const open = this.url ? this.uses.open().filter((u) => u.baseUrl === this.url) : [];
    return {
      source: this.source,
      url: this.enabled ? this.url : null,
      ...this.state,
      pendingUses: open.length,
      pendingGrams: Math.round(open.reduce((a, u) => a + u.grams, 0) * 100) / 100,
      refusedUses: this.uses.refused().map((u) => ({ jobId: u.jobId, spoolmanId: u.spoolmanId, grams: u.grams, message: u.problem ?? '', at: u.sentAt ?? u.createdAt })),
    };
  }

  /** Spoolman's version at that address, or a SpoolmanError saying why not. Changes nothing. */
  async check(url: string): Promise<SpoolmanCheck> {
    const base = spoolmanBaseUrl(url);
    const info = await new SpoolmanClient(base, this.d.client).info();
    if (typeof info?.version !== 'string')
      throw new AppError('invalid_input', `${base} answered, but not as Spoolman does (no version in /api/v1/info). Is that the right address and port?`);
    return { url: base, version: info.version };
  }

  /** From now on spools are kept on that server (it must answer first), or here again (`null`). */
  async configure(url: string | null): Promise<SpoolmanStatus> {
    if (url === null) {
      this.enabled = false;
      this.d.settings.set(ENABLED_KEY, false);
      this.ticker?.cancel();
      this.retry?.cancel();
      this.d.inventory().reload();
      return this.announce();
    }
    const checked = await this.check(url);
    this.url = checked.url;
    this.enabled = true;
    this.client = new SpoolmanClient(checked.url, this.d.client);
    this.d.settings.set(URL_KEY, checked.url);
    this.d.settings.set(ENABLED_KEY, true);
    this.state = { ...this.state, reachable: true, version: checked.version, problem: null };
    this.d.inventory().reload();
    this.startTicker();
    await this.sync().catch(() => undefined);
    return this.status();
  }

  /** Read Spoolman's spools, then send the uses waiting. */
  async sync(): Promise<SpoolmanStatus> {
    if (!this.enabled) return this.status();
    await this.refresh();
    await this.flush();
    return this.status();
  }

  /**
   * Spoolman's spools into the mirror, in one transaction: each mapped (less its uses still to send), a mirrored one
   * Spoolman no longer lists marked missing. Spools without any weight are left out and counted.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.exclusive(() => this.doRefresh()).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const client = this.activeClient();
    let list: SmSpool[];
    try {
      if (this.state.version === null) this.state.version = (await client.info()).version ?? null;
      list = await client.spools();
    } catch (err) {
      this.failed(err);
      throw err;
    }
    const store = this.d.inventory().spoolStore;
    const now = this.d.clock.now();
    const unsent = this.uses.unsentGrams(client.baseUrl);
    const changed: string[] = [];
    let skipped = 0;
    this.d.db.transaction(() => {
      const seen = new Set<number>();
      for (const s of list) {
        const mapped = fieldsFromSpoolman(s, unsent.get(s.id) ?? 0);
        if (!mapped) {
          skipped++;
          continue;
        }
        seen.add(s.id);
        if (store.mirror(s.id, mapped.fields, mapped.archived, now)) changed.push(mirrorId(s.id));
      }
      for (const id of store.mirroredSpoolmanIds()) {
        if (seen.has(id)) continue;
        const gone = store.markSpoolmanMissing(id, now);
        if (gone) changed.push(gone);
      }
    })();
    this.state = { ...this.state, reachable: true, problem: null, lastSyncAt: now, skippedSpools: skipped };
    this.d.inventory().committed(changed);
    this.announce();
  }

  /**
   * Sends the queued uses, oldest first, each exactly once. Spoolman's `PUT /spool/{id}/use` adds to `used_weight` and
   * has no idempotency key, so each use is sent in three committed steps: read the spool's `used_weight` and record
   * it with the row as `sending`; send; mark `sent`. A row found `sending` (a crash, or no answer) is sent again only
   * if the spool's `used_weight` has not grown by its grams since: one that arrived is never sent twice. (A use
   * another client made in that window would be taken for ours: the ambiguity is settled toward never deducting twice.)
   * A refused connection cannot have arrived, so that row simply waits. A 404 or 422 is kept as refused, with why.
   */
  flush(): Promise<void> {
    this.flushing ??= this.exclusive(() => this.doFlush()).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    if (!this.enabled || !this.client) return;
    const client = this.client;
    const open = this.uses.open().filter((u) => u.baseUrl === client.baseUrl);
    let stopped: unknown = null;
    for (const u of open) {
      try {
        await this.sendOnce(client, u);
      } catch (err) {
        if (err instanceof SpoolmanError && (err.failure === 'not-found' || err.failure === 'refused')) {
          this.refuse(u, err);
          continue;
        }
        // Spoolman is down or failing: keep the order, try again later.
        stopped = err;
        break;
      }
    }
    if (stopped !== null) {
      this.failed(stopped);
      this.scheduleRetry();
    } else {
      this.retries = 0;
      if (open.length) this.state = { ...this.state, reachable: true, problem: null, lastSyncAt: this.d.clock.now() };
    }
    this.announce();
  }

  private async sendOnce(client: SpoolmanClient, u: SpoolmanUse): Promise<void> {
    const before = await client.spool(u.spoolmanId);
    if (u.state === 'sending' && u.usedBefore !== null && before.used_weight >= u.usedBefore + u.grams - GRAMS_EPSILON) {
      // It arrived before the crash or the lost answer: record it, do not send it again.
      this.uses.markSent(u, this.d.clock.now());
      this.mirrorOne(before);
      return;
    }
    this.uses.markSending(u, before.used_weight);
    let after: SmSpool;
    try {
      after = await client.useWeight(u.spoolmanId, u.grams);
    } catch (err) {
      if (err instanceof SpoolmanError && err.failure === 'not-sent') this.uses.markPending(u, err.message);
      else if (err instanceof SpoolmanError && err.failure !== 'not-found' && err.failure !== 'refused') this.uses.noteProblem(u, err.message);
      throw err;
    }
    this.uses.markSent(u, this.d.clock.now());
    this.mirrorOne(after);
  }

  private refuse(u: SpoolmanUse, err: SpoolmanError): void {
    const now = this.d.clock.now();
    const message =
      err.failure === 'not-found'
        ? `Spoolman no longer has spool #${u.spoolmanId} (deleted there): the ${u.grams} g job ${u.jobId.slice(0, 8)} used from it were not recorded in Spoolman, and are kept here.`
        : `Spoolman refused the ${u.grams} g job ${u.jobId.slice(0, 8)} used from spool #${u.spoolmanId}: ${err.message.replace(/^Spoolman refused it: /, '')}`;
    this.uses.markRefused(u, message, now);
    if (err.failure === 'not-found') {
      const id = this.d.inventory().spoolStore.markSpoolmanMissing(u.spoolmanId, now);
      if (id) this.d.inventory().committed([id]);
    }
  }

  /** One spool as Spoolman answered it, into the mirror (less what is still to be sent). */
  private mirrorOne(s: SmSpool): void {
    if (!this.client) return;
    const mapped = fieldsFromSpoolman(s, this.uses.unsentGrams(this.client.baseUrl).get(s.id) ?? 0);
    if (!mapped) return;
    const store = this.d.inventory().spoolStore;
    if (store.mirror(s.id, mapped.fields, mapped.archived, this.d.clock.now())) this.d.inventory().committed([mirrorId(s.id)]);
  }

  // --- SpoolSource: changes go to Spoolman first; the mirror follows its answer. Nothing is queued: while Spoolman
  // is down these fail with its reason and nothing changes.

  async create(fields: SpoolFields): Promise<SpoolView> {
    const client = this.activeClient();
    const filamentId = await this.filamentFor(client, fields);
    const made = await this.call(() => client.createSpool({ filament_id: filamentId, ...spoolWrite(fields) }));
    return this.mirrored(made);
  }

  async update(spoolId: string, patch: Partial<SpoolFields>): Promise<SpoolView> {
    const client = this.activeClient();
    const current = this.spoolmanSpool(spoolId);
    const next = { ...fieldsOf(current), ...patch };
    if (next.remainingG > next.netWeightG) throw new AppError('invalid_input', `Remaining (${next.remainingG} g) cannot be more than the net weight (${next.netWeightG} g).`);
    const id = current.spoolman!.id;
    const unsent = this.uses.unsentGrams(client.baseUrl).get(id) ?? 0;
    const body = { ...spoolWrite(next, unsent), ...(filamentSideChanged(fieldsOf(current), next) ? { filament_id: await this.filamentFor(client, next) } : {}) };
    const updated = await this.call(() => client.updateSpool(id, body), id);
    return this.mirrored(updated);
  }

  async archive(spoolId: string): Promise<SpoolView> {
    const s = this.spoolmanSpool(spoolId);
    this.d.inventory().refuseArchiveLoaded(s);
    if (s.archived) return s;
    const client = this.activeClient();
    return this.mirrored(await this.call(() => client.updateSpool(s.spoolman!.id, { archived: true }), s.spoolman!.id));
  }

  async restore(spoolId: string): Promise<SpoolView> {
    const s = this.spoolmanSpool(spoolId);
    if (!s.archived) return s;
    const client = this.activeClient();
    return this.mirrored(await this.call(() => client.updateSpool(s.spoolman!.id, { archived: false }), s.spoolman!.id));
  }

  private spoolmanSpool(spoolId: string): SpoolView {
    const s = this.d.inventory().require(spoolId);
    if (!s.spoolman) throw new AppError('conflict', 'This spool is kept here, not in Spoolman. Switch Spoolman off in Settings to change it.');
    if (s.spoolman.missing) throw new AppError('not_found', `Spoolman no longer has spool #${s.spoolman.id} (it was deleted there). Nothing was changed.`);
    return s;
  }

  /** The filament our fields describe, found or made (with its vendor) in Spoolman. */
  private async filamentFor(client: SpoolmanClient, f: SpoolFields): Promise<number> {
    const found = findFilament(await this.call(() => client.filaments()), f);
    if (found) return found.id;
    let vendorId: number | null = null;
    if (f.brand) vendorId = (findVendor(await this.call(() => client.vendors()), f.brand) ?? (await this.call(() => client.createVendor(f.brand)))).id;
    return (await this.call(() => client.createFilament(filamentFor(f, vendorId)))).id;
  }

  private mirrored(s: SmSpool): SpoolView {
    const mapped = fieldsFromSpoolman(s, this.client ? (this.uses.unsentGrams(this.client.baseUrl).get(s.id) ?? 0) : 0);
    if (!mapped) throw new AppError('invalid_input', `Spoolman keeps spool #${s.id} without any weight, so it cannot be used here. Give it an initial weight in Spoolman.`);
    this.d.inventory().spoolStore.mirror(s.id, mapped.fields, mapped.archived, this.d.clock.now());
    this.d.inventory().committed([mirrorId(s.id)]);
    return this.d.inventory().require(mirrorId(s.id));
  }

  /** A request for a user's change: its failure is reported in the status too, and a 404 marks the spool missing. */
  private async call<T>(fn: () => Promise<T>, spoolmanId?: number): Promise<T> {
    try {
      const out = await fn();
      if (this.state.reachable !== true || this.state.problem !== null) {
        this.state = { ...this.state, reachable: true, problem: null };
        this.announce();
      }
      return out;
    } catch (err) {
      if (err instanceof SpoolmanError && err.failure === 'not-found' && spoolmanId !== undefined) {
        const id = this.d.inventory().spoolStore.markSpoolmanMissing(spoolmanId, this.d.clock.now());
        if (id) this.d.inventory().committed([id]);
        throw new SpoolmanError('not-found', `Spoolman no longer has spool #${spoolmanId} (it was deleted there). Nothing was changed.`, 404);
      }
      if (err instanceof SpoolmanError && err.failure !== 'refused') this.failed(err);
      if (err instanceof SpoolmanError && (err.failure === 'not-sent' || err.failure === 'no-answer' || err.failure === 'server')) {
        throw new SpoolmanError(err.failure, `${err.message}${/[.?!]$/.test(err.message) ? '' : '.'} Nothing was changed.`, err.status);
      }
      throw err;
    }
  }

  /**
   * One refresh or flush at a time: a refresh read while a use is between sent and marked sent would take it off the
   * mirror twice until the next read.
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private activeClient(): SpoolmanClient {
    if (!this.enabled || !this.client) throw new AppError('conflict', 'Spoolman is not in use. Set its address in Settings first.');
    return this.client;
  }

  private failed(err: unknown): void {
    const problem = err instanceof AppError ? err.message : 'Spoolman could not be reached.';
    const reachable = !(err instanceof SpoolmanError && (err.failure === 'not-sent' || err.failure === 'no-answer'));
    if (this.state.problem === problem && this.state.reachable === reachable) return;
    this.state = { ...this.state, reachable, problem };
    this.announce();
  }

  private announce(): SpoolmanStatus {
    const s = this.status();
    this.d.onStatus(s);
    return s;
  }

  private startTicker(): void {
    if (this.d.timers === false || this.closed) return;
    this.ticker?.cancel();
    this.ticker = this.d.clock.setInterval(() => void this.sync().catch(() => undefined), REFRESH_MS);
  }

  private scheduleRetry(): void {
    if (this.d.timers === false || this.closed || this.retry) return;
    const ms = RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)]!;
    this.retry = this.d.clock.setTimeout(() => {
      this.retry = null;
      void this.flush();
    }, ms);
  }

  /** Inside a job's end transaction (`SpoolInventory.spoolmanUseInTx`): the use joins the queue for this server. */
  queueUseInTx(use: { jobId: string; slot: number; spoolmanId: number; grams: number; at: number }): void {
    // A mirror outlives a switch back to local spools; its use is still queued for the server it came from.
    const url = this.url ?? 'unknown';
    this.uses.add(use, url);
  }

  /** After the job's end was committed. */
  usesQueued(): void {
    void this.flush();
  }

  /** Every outbox row of a job (tests, support). */
  usesOfJob(jobId: string): SpoolmanUse[] {
    return this.uses.ofJob(jobId);
  }
}

function safeBase(url: string): string | null {
  try {
    return spoolmanBaseUrl(url);
  } catch {
    return null;
  }
}
