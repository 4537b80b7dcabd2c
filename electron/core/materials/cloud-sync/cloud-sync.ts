import { randomUUID } from 'node:crypto';
import type { CloudClient } from '../../cloud/client';
import { CloudError, InsufficientPermissionsError, NetworkError, NotFoundError, RateLimitError, ServerError, TimeoutError } from '../../cloud/errors';
import type { Filament } from '../../cloud/schemas';
import { scopeCovers } from '../../cloud-account/scopes';
import type { MaterialConflict, MaterialSyncState, MaterialSyncStatus } from '../../contract/material-sync-types';
import type { SpoolView } from '../../contract/materials-types';
import type { Clock } from '../../ports/clock';
import type { Db } from '../../store/database';
import type { SpoolInventory } from '../spool-inventory';
import { SpoolStore } from '../spool-store';
import { describeChanges, fromFilament, sameSynced, syncedOf, toFilamentBody } from './filament-mapping';
import type { SyncAccess, SyncGrants } from './sync-access';
import { isDirty, SyncStore, type MaterialLink } from './sync-store';

export interface MaterialSyncTimings {
  /** A full round this often while nothing happens. Default 5 minutes. */
  periodMs: number;
  /** A local change is sent this long after it (changes in a burst go together). Default 2 s. */
  debounceMs: number;
  /** After a failure: the first retry waits about this, doubling up to `maxBackoffMs`. Default 5 s and 5 minutes. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A key without a materials scope is asked again this often (a scope added in the cloud is noticed). Default 1 h. */
  recheckScopesMs: number;
}

const DEFAULT_TIMINGS: MaterialSyncTimings = { periodMs: 5 * 60_000, debounceMs: 2_000, backoffMs: 5_000, maxBackoffMs: 5 * 60_000, recheckScopesMs: 3600_000 };

export interface MaterialSyncDeps {
  db: Db;
  clock: Clock;
  spools: SpoolInventory;
  access: SyncAccess;
  onStatus(status: MaterialSyncStatus): void;
  log(message: string, err?: unknown): void;
  /**
   * Why spools are not synced with the cloud now although the scopes allow it, or null: while a Spoolman server keeps
   * the spools, Spoolman is their record (the local spools rest untouched until it is switched off).
   */
  paused?: () => string | null;
  timings?: Partial<MaterialSyncTimings>;
  random?: () => number;
}

const READ = 'materials:read';
const WRITE = 'materials:write';

/** Thrown inside a round when the credential turns out to lack what it needs: the round ends, the status says why. */
class ScopeLost extends Error {}

/**
 * Keeps the spools here and the cloud's filament records in step, when the app's key or sign-in holds a materials
 * scope, and makes no materials call otherwise.
 *
 * A round: (1) creates in the cloud the spools new here (a create's Idempotency-Key is kept in the outbox, so one
 * whose answer was lost returns the same record when sent again), (2) reads every cloud record and applies what was
 * edited there, (3) sends what was edited here. When both sides edited a spool since they were last in step, the newer
 * edit wins (the cloud's `updated_at` against the spool's) and the loser is kept in `material_conflicts`. Deleted on
 * one side means archived on the other; nothing is deleted here.
 *
 * Every change here is committed with its outbox row (the inventory's listener runs right after the commit, and
 * each round first queues any spool a crash left unqueued), so nothing is lost offline or on a crash.
 */
export class MaterialCloudSync {
  private readonly store: SyncStore;
  private readonly spoolRows: SpoolStore;
  private readonly t: MaterialSyncTimings;
  private readonly random: () => number;
  private timer: { cancel(): void } | null = null;
  private timerDue = Infinity;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private failures = 0;
  private lastScopeCheck = -Infinity;
  private offListener: (() => void) | null = null;
  private state: MaterialSyncState = 'off';
  private grants: SyncGrants | null = null;
  private reason: string | null = null;
  private lastSyncAt: number | null = null;
  private lastError: string | null = null;
  private retryAt: number | null = null;

  constructor(private readonly d: MaterialSyncDeps) {
    this.store = new SyncStore(d.db);
    this.spoolRows = new SpoolStore(d.db);
    this.t = { ...DEFAULT_TIMINGS, ...d.timings };
    this.random = d.random ?? Math.random;
  }

  /** Listens for spool changes and starts the first round. */
  start(): void {
    this.offListener = this.d.spools.onChange((views) => this.spoolsChanged(views));
    this.queueDirty();
    this.schedule(0);
  }

  status(): MaterialSyncStatus {
    const pull = this.grants !== null && scopeCovers(this.grants.scopes, READ);
    const push = this.grants !== null && scopeCovers(this.grants.scopes, WRITE);
    return {
      state: this.state,
      enabled: pull || push,
      pull,
      push,
      reason: this.reason,
      lastSyncAt: this.lastSyncAt,
      pending: this.store.pending(),
      lastError: this.lastError,
      retryAt: this.retryAt,
      conflicts: this.store.conflictCount(),
    };
  }

  conflicts(limit = 50): MaterialConflict[] {
    return this.store.conflicts(limit, (id) => {
      const s = this.d.spools.find(id);
      return s ? `${s.material} ${s.colourName || s.colourHex}`.trim() : 'a spool no longer here';
    });
  }

  /**
   * Runs a round now (after the one running, if any) and answers with the status it left. Waiting after a failure
   * ends; waiting out a 429 does not: the cloud said when, and "Sync now" answers with that time.
   */
  async syncNow(): Promise<MaterialSyncStatus> {
    if (this.state !== 'rate-limited') this.retryAt = null;
    // A round already running may have read the cloud before the change asked for: this one starts after it.
    while (this.running) await this.running;
    await this.round();
    return this.status();
  }

  /** Where spools are kept changed (Spoolman switched on or off): the sync pauses or resumes. */
  sourceChanged(): void {
    this.schedule(0, true);
  }

  /** The key, the sign-in or the server changed: what it may do is looked at again, soon. */
  credentialsChanged(): void {
    this.lastScopeCheck = -Infinity;
    this.failures = 0;
    this.retryAt = null;
    this.schedule(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.offListener?.();
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  // ---- scheduling ---------------------------------------------------------------------------------------

  /** A round in `delayMs`, unless one is due sooner; `replace` moves a sooner one too (after a failure). */
  private schedule(delayMs: number, replace = false): void {
    if (this.closed) return;
    const due = this.d.clock.now() + delayMs;
    if (this.timer && this.timerDue <= due && !replace) return;
    this.timer?.cancel();
    this.timerDue = due;
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      void this.round();
    }, delayMs);
  }

  private spoolsChanged(views: SpoolView[]): void {
    let queued = false;
    for (const v of views) {
      if (v.spoolman !== null || !isDirty(v, this.store.link(v.id))) continue;
      this.store.enqueue(v.id, this.d.clock.now());
      queued = true;
    }
    if (!queued) return;
    this.publish();
    // Waiting out a 429 or a backoff: the change goes with the next attempt, not before.
    if (this.grants && scopeCovers(this.grants.scopes, WRITE) && this.retryAt === null) this.schedule(this.t.debounceMs);
  }

  /** Spools with something the cloud lacks but no outbox row (a crash between a change's commit and its row). */
  private queueDirty(): void {
    const now = this.d.clock.now();
    this.d.db.transaction(() => {
      for (const s of this.spoolRows.all()) if (s.spoolman === null && isDirty(s, this.store.link(s.id))) this.store.enqueue(s.id, now);
    })();
  }

  private round(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runRound().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        void this.round();
      }
    });
    return this.running;
  }

  private async runRound(): Promise<void> {
    if (this.closed) return;
    await this.d.access.ready;
    // Not before the time the cloud (429) or the backoff said, whatever woke this round.
    const wait = this.retryAt === null ? 0 : this.retryAt - this.d.clock.now();
    if (wait > 0) return this.schedule(wait, true);
    let next = this.t.periodMs;
    let failed = false;
    const paused = this.d.paused?.() ?? null;
    if (paused !== null) {
      this.state = 'off';
      this.reason = paused;
      this.retryAt = null;
      this.publish();
      return;
    }
    try {
      const grants = await this.currentGrants();
      this.grants = grants;
      const pull = grants !== null && scopeCovers(grants.scopes, READ);
      const push = grants !== null && scopeCovers(grants.scopes, WRITE);
      const client = this.d.access.client();
      if (grants === null || client === null || (!pull && !push)) {
        this.setOff(grants);
        return;
      }
      this.reason =
        pull && push
          ? null
          : pull
            ? `This ${noun(grants)} can read the cloud's materials but not change them (materials:write): edits made here stay on this computer until it can.`
            : `This ${noun(grants)} can change the cloud's materials but not read them (materials:read): edits made in the cloud do not come here.`;
      this.state = 'syncing';
      this.publish();
      this.queueDirty();
      if (push) await this.pushCreates(client);
      if (pull) await this.pull(client);
      if (push) await this.pushEdits(client);
      this.state = 'idle';
      this.lastSyncAt = this.d.clock.now();
      this.lastError = null;
      this.retryAt = null;
      this.failures = 0;
    } catch (err) {
      next = this.failed(err);
      failed = true;
    } finally {
      this.publish();
      this.schedule(next, failed);
    }
  }

  private async currentGrants(): Promise<SyncGrants | null> {
    const now = this.d.clock.now();
    const recheck =
      this.grants !== null && !scopeCovers(this.grants.scopes, READ) && !scopeCovers(this.grants.scopes, WRITE) && now - this.lastScopeCheck >= this.t.recheckScopesMs;
    const grants = await this.d.access.grants(recheck);
    if (recheck || this.lastScopeCheck === -Infinity) this.lastScopeCheck = now;
    return grants;
  }

  private setOff(grants: SyncGrants | null): void {
    this.state = 'off';
    this.retryAt = null;
    this.lastError = null;
    this.reason =
      grants === null ? 'No AutoPrintFarm key or sign-in is set up: spools stay on this computer.' : `This ${noun(grants)} has no materials scope: spools stay on this computer.`;
  }

  /** What a failed round means: the state to show and when to try again. */
  private failed(err: unknown): number {
    if (err instanceof ScopeLost) {
      this.setOff(this.grants);
      return this.t.periodMs;
    }
    this.failures++;
    const backoff = Math.min(this.t.maxBackoffMs, this.t.backoffMs * 2 ** (this.failures - 1)) * (0.5 + this.random() / 2);
    let wait = backoff;
    if (err instanceof RateLimitError) {
      this.state = 'rate-limited';
      wait = err.retryAfterSeconds !== null ? err.retryAfterSeconds * 1000 : backoff;
    } else if (err instanceof NetworkError || err instanceof TimeoutError || (err instanceof ServerError && err.status === 503)) {
      this.state = 'offline';
    } else {
      this.state = 'error';
      if (!(err instanceof CloudError)) this.d.log('materials: the cloud sync failed unexpectedly', err);
    }
    // CloudError messages are for the user and carry no key; anything else is not shown as it is.
    this.lastError = err instanceof CloudError ? err.message : 'The cloud sync hit an unexpected error; the details are in the log.';
    this.retryAt = this.d.clock.now() + wait;
    return wait;
  }

  /** A 403 in the middle of a round: the scopes changed in the cloud. Asks again and ends the round. */
  private async scopeRefused(err: InsufficientPermissionsError): Promise<never> {
    this.grants = await this.d.access.grants(true).catch(() => this.grants);
    this.lastScopeCheck = this.d.clock.now();
    const still = this.grants !== null && (scopeCovers(this.grants.scopes, READ) || scopeCovers(this.grants.scopes, WRITE));
    if (still) throw err;
    throw new ScopeLost();
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof InsufficientPermissionsError) return this.scopeRefused(err);
      throw err;
    }
  }

  private publish(): void {
    this.d.onStatus(this.status());
  }

  // ---- the round's three steps ---------------------------------------------------------------------------

  /** New spools (never linked, or restored after their record was deleted) become cloud records, exactly once. */
  private async pushCreates(client: CloudClient): Promise<void> {
    for (const entry of this.store.outbox()) {
      const spool = this.spoolRows.get(entry.spoolId);
      const link = this.store.link(entry.spoolId);
      if (!spool || !isDirty(spool, link)) {
        if (spool) this.store.dequeue(entry.spoolId);
        continue;
      }
      if (spool.archived || (link !== null && link.goneAt === null)) continue;
      this.store.attempted(entry.spoolId);
      const created = await this.call(() => client.materials.filament.create(toFilamentBody(spool), { idempotencyKey: entry.idemKey }));
      this.d.db.transaction(() => {
        this.store.setLink({ spoolId: spool.id, cloudId: created.id, localSyncedAt: spool.updatedAt, cloudUpdatedAt: created.updated_at });
        this.settle(spool.id);
      })();
    }
  }

  /** Every cloud record: edits made there come here (or lose to a newer edit here), new ones become spools, deleted ones are archived. */
  private async pull(client: CloudClient): Promise<void> {
    const seen = new Map<string, Filament>();
    for await (const f of this.readAll(client)) seen.set(f.id, f);
    const now = this.d.clock.now();
    const changed: string[] = [];
    this.d.db.transaction(() => {
      for (const link of this.store.links()) {
        if (link.goneAt !== null) continue;
        const f = seen.get(link.cloudId);
        if (f) {
          if (this.applyCloud(link, f, now)) changed.push(link.spoolId);
        } else if (this.cloudDeleted(link, now)) changed.push(link.spoolId);
      }
      for (const f of seen.values()) {
        if (this.store.linkByCloudId(f.id)) continue;
        // A record made elsewhere (the web app, another farm PC): a new spool here.
        const id = randomUUID();
        this.spoolRows.insert(id, fromFilament(f, null), now);
        this.store.setLink({ spoolId: id, cloudId: f.id, localSyncedAt: now, cloudUpdatedAt: f.updated_at });
        changed.push(id);
      }
    })();
    if (changed.length) this.d.spools.committed(changed);
  }

  private async *readAll(client: CloudClient): AsyncGenerator<Filament, void, undefined> {
    const iterator = client.materials.filament.iterate({});
    for (;;) {
      const next = await this.call(() => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  }

  /**
   * A linked record as the cloud has it now. Edited only there: applied here. Edited on both sides: the newer edit
   * wins and the loser goes to the history. Returns whether the spool changed here.
   */
  private applyCloud(link: MaterialLink, f: Filament, now: number): boolean {
    if (f.updated_at === link.cloudUpdatedAt) return false;
    const spool = this.spoolRows.get(link.spoolId);
    if (!spool) return false;
    const incoming = fromFilament(f, spool);
    const localEdited = spool.updatedAt > link.localSyncedAt;
    const agree = sameSynced(syncedOf(spool), syncedOf(incoming)) && !spool.archived;
    if (!localEdited || agree) {
      if (!agree) this.writeSpool(spool, incoming, now);
      const at = agree ? spool.updatedAt : now;
      this.store.setLink({ spoolId: spool.id, cloudId: f.id, localSyncedAt: Math.max(at, link.localSyncedAt), cloudUpdatedAt: f.updated_at });
      if (!this.stillDirty(spool.id)) this.store.dequeue(spool.id);
      return !agree;
    }
    const cloudAt = Date.parse(f.updated_at);
    const local = { ...syncedOf(spool), archived: spool.archived };
    const cloud = { ...syncedOf(incoming), archived: false };
    // The newer edit wins; on a tie the cloud's, the copy every farm PC shares.
    if (!(spool.updatedAt > cloudAt)) {
      this.store.addConflict({
        spoolId: spool.id,
        cloudId: f.id,
        winner: 'cloud',
        winnerEditedAt: cloudAt,
        loserEditedAt: spool.updatedAt,
        loser: local,
        changes: describeChanges(local, cloud),
        at: now,
      });
      this.writeSpool(spool, incoming, now);
      this.store.setLink({ spoolId: spool.id, cloudId: f.id, localSyncedAt: now, cloudUpdatedAt: f.updated_at });
      this.store.dequeue(spool.id);
      return true;
    }
    this.store.addConflict({
      spoolId: spool.id,
      cloudId: f.id,
      winner: 'local',
      winnerEditedAt: spool.updatedAt,
      loserEditedAt: cloudAt,
      loser: cloud,
      changes: describeChanges(cloud, local),
      at: now,
    });
    // Seen: the edit here goes over it in this round's last step.
    this.store.setLink({ ...link, cloudUpdatedAt: f.updated_at });
    return false;
  }

  /** The record was deleted in the cloud: the spool is archived here (unloaded first), never deleted. */
  private cloudDeleted(link: MaterialLink, now: number): boolean {
    const spool = this.spoolRows.get(link.spoolId);
    if (!spool) return false;
    if (spool.loadedOn) this.spoolRows.clearSlot(spool.loadedOn);
    if (!spool.archived) this.spoolRows.setArchived(spool.id, now, now);
    this.store.setLink({ ...link, localSyncedAt: spool.archived ? spool.updatedAt : now, goneAt: now, goneBy: 'cloud' });
    this.store.dequeue(spool.id);
    return !spool.archived || spool.loadedOn !== null;
  }

  private writeSpool(spool: SpoolView, fields: ReturnType<typeof fromFilament>, now: number): void {
    this.spoolRows.update(spool.id, fields, now);
    // The cloud's copy exists, so the spool does too: a spool archived here that lost to an edit there comes back.
    if (spool.archived) this.spoolRows.setArchived(spool.id, null, now);
  }

  /** Edits, archives (deleted there) and restores made here go to the cloud. */
  private async pushEdits(client: CloudClient): Promise<void> {
    for (const entry of this.store.outbox()) {
      const spool = this.spoolRows.get(entry.spoolId);
      const link = this.store.link(entry.spoolId);
      if (!spool || !isDirty(spool, link)) {
        this.store.dequeue(entry.spoolId);
        continue;
      }
      if (link === null || link.goneAt !== null) continue; // creates went in the first step (or wait for one)
      this.store.attempted(spool.id);
      if (spool.archived) {
        try {
          await this.call(() => client.materials.filament.delete(link.cloudId));
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
        }
        this.d.db.transaction(() => {
          this.store.setLink({ ...link, localSyncedAt: spool.updatedAt, goneAt: this.d.clock.now(), goneBy: 'local' });
          this.settle(spool.id);
        })();
        continue;
      }
      let updated: Filament;
      try {
        updated = await this.call(() => client.materials.filament.update(link.cloudId, toFilamentBody(spool)));
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        // Deleted there since the read: archived here, as any record deleted there.
        const now = this.d.clock.now();
        let changed = false;
        this.d.db.transaction(() => (changed = this.cloudDeleted(link, now)))();
        if (changed) this.d.spools.committed([spool.id]);
        continue;
      }
      this.d.db.transaction(() => {
        this.store.setLink({ ...link, localSyncedAt: spool.updatedAt, cloudUpdatedAt: updated.updated_at });
        this.settle(spool.id);
      })();
    }
  }

  /** After a send: the outbox row goes unless the spool changed again meanwhile (then it waits for the next send). */
  private settle(spoolId: string): void {
    if (this.stillDirty(spoolId)) this.store.renewKey(spoolId);
    else this.store.dequeue(spoolId);
  }

  private stillDirty(spoolId: string): boolean {
    const spool = this.spoolRows.get(spoolId);
    return spool !== null && isDirty(spool, this.store.link(spoolId));
  }
}

function noun(g: SyncGrants): string {
  return g.via === 'sign-in' ? 'sign-in' : 'key';
}
