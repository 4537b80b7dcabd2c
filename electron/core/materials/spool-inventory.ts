import { randomUUID } from 'node:crypto';
import { DEFAULT_SLOT, traySlot, type MaterialNeed, type SpoolFields, type SpoolPlace, type SpoolUsageEntry, type SpoolView } from '../contract/materials-types';
import type { ReportedTray } from '../contract/printer-model';
import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { SpoolSourceKind } from '../contract/spoolman-types';
import type { Db } from '../store/database';
import { gramsNeeded, UNKNOWN_FILAMENT, type LoadedFilament } from './matching';
import { trayDisagrees } from '../contract/tray-match';
import { SpoolStore } from './spool-store';

export interface InventoryDeps {
  db: Db;
  clock: Clock;
  /** Whether a printer exists (a spool is loaded only onto a printer of the fleet). */
  printerName: (printerId: string) => string | null;
  /** Called after a change is committed, with the spools it touched. */
  onChange?: (spools: SpoolView[]) => void;
  /**
   * Where the spools are kept now (default: here). With `spoolman`, the inventory is the mirror of Spoolman's spools
   * and the local ones rest untouched (and the other way round), so switching back finds them as they were.
   */
  source?: () => SpoolSourceKind;
  /**
   * Inside a job's end transaction, for a spool mirrored from Spoolman: the grams to record there too (the Spoolman
   * source queues them durably, in this transaction).
   */
  spoolmanUseInTx?: (use: { jobId: string; slot: number; spoolmanId: number; grams: number; at: number }) => void;
  /** The holders a printer reports (a Bambu AMS's trays); a spool goes into an AMS tray only while the printer reports it. */
  traysOf?: (printerId: string) => readonly ReportedTray[] | null;
  /** After a commit that queued filament use for Spoolman. */
  onSpoolmanUse?: () => void;
}

/**
 * The spools and what each printer has loaded, held in memory over their tables so the dispatcher never reads the
 * database. Every change is committed before memory and listeners see it. A print's use is recorded in two steps:
 * `claimInTx` when it starts (the spool on the printer then is the one it uses), `deductInTx` when it ends.
 */
export class SpoolInventory {
  private readonly store: SpoolStore;
  private readonly byId = new Map<string, SpoolView>();
  private readonly listeners: ((spools: SpoolView[]) => void)[] = [];
  private queuedUse = false;

  constructor(private readonly d: InventoryDeps) {
    this.store = new SpoolStore(d.db);
    this.reload();
    if (d.onChange) this.listeners.push(d.onChange);
  }

  /** The spools of the current source, read again (after the source changed). */
  reload(): void {
    this.byId.clear();
    for (const s of this.store.all()) if (this.inSource(s)) this.byId.set(s.id, s);
  }

  private inSource(s: SpoolView): boolean {
    return (this.d.source?.() ?? 'local') === 'spoolman' ? s.spoolman !== null : s.spoolman === null;
  }

  /** The tables under the inventory, for the Spoolman source's mirror writes (followed by `committed`). */
  get spoolStore(): SpoolStore {
    return this.store;
  }

  onChange(listener: (spools: SpoolView[]) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  list(includeArchived = false): SpoolView[] {
    return [...this.byId.values()].filter((s) => includeArchived || !s.archived);
  }

  find(spoolId: string): SpoolView | null {
    return this.byId.get(spoolId) ?? null;
  }

  require(spoolId: string): SpoolView {
    const s = this.byId.get(spoolId);
    if (!s) throw new AppError('not_found', 'That spool does not exist (it may have been removed by an import elsewhere). Reload the list.');
    return s;
  }

  /** The spool in a printer's slot, if any. */
  loadedOn(printerId: string, slot = DEFAULT_SLOT): SpoolView | null {
    for (const s of this.byId.values()) if (s.loadedOn?.printerId === printerId && s.loadedOn.slot === slot) return s;
    return null;
  }

  /** What the queue knows of a printer's filament: the spool loaded (in slot 0, unless another is asked), or nothing. */
  filamentOn(printerId: string, slot = DEFAULT_SLOT): LoadedFilament {
    const s = this.loadedOn(printerId, slot);
    if (!s) return UNKNOWN_FILAMENT;
    return {
      kind: 'spool',
      spoolId: s.id,
      material: s.material,
      colourHex: s.colourHex,
      colourName: s.colourName,
      remainingG: s.remainingG,
      diameterMm: s.diameterMm,
      densityGCm3: s.densityGCm3,
    };
  }
  /**
   * The spools a user confirmed in a printer's AMS trays, by slot (slot 0, its external holder, is `filamentOn`).
   * A confirmation holds while the printer still reports that tray with the spool's material and colour: a tray
   * found empty or holding something else (the spool was swapped at the printer) is left out until confirmed again.
   */
  trayFilaments(printerId: string): { slot: number; filament: LoadedFilament; distrust?: string }[] {
    const out: { slot: number; filament: LoadedFilament; distrust?: string }[] = [];
    const reported = this.d.traysOf?.(printerId) ?? [];
    for (const s of this.byId.values()) {
      if (s.loadedOn?.printerId !== printerId || s.loadedOn.slot === DEFAULT_SLOT) continue;
      const slot = s.loadedOn.slot;
      const tray = reported.find((t) => t.amsUnit !== null && traySlot(t.amsUnit, t.tray) === slot);
      const problem = tray ? trayDisagrees(tray, s) : 'The printer does not report this tray now.';
      // Still a spool the farm knows is on this printer: it waits for the user rather than counting as unknown.
      out.push({ slot, filament: this.filamentOn(printerId, slot), ...(problem ? { distrust: `has ${tray?.slot ?? `AMS slot ${slot}`} to confirm again on its page` } : {}) });
    }
    return out.sort((a, b) => a.slot - b.slot);
  }

  create(fields: SpoolFields): SpoolView {
    const id = randomUUID();
    this.store.insert(id, fields, this.d.clock.now());
    return this.committed([id])[0]!;
  }

  update(spoolId: string, patch: Partial<SpoolFields>): SpoolView {
    const current = this.requireLocal(spoolId);
    const next = { ...fieldsOf(current), ...patch };
    if (next.remainingG > next.netWeightG) throw new AppError('invalid_input', `Remaining (${next.remainingG} g) cannot be more than the net weight (${next.netWeightG} g).`);
    this.store.update(spoolId, next, this.d.clock.now());
    return this.committed([spoolId])[0]!;
  }

  archive(spoolId: string): SpoolView {
    const s = this.requireLocal(spoolId);
    this.refuseArchiveLoaded(s);
    if (s.archived) return s;
    const now = this.d.clock.now();
    this.store.setArchived(spoolId, now, now);
    return this.committed([spoolId])[0]!;
  }

  /** A loaded spool is unloaded before it is archived (here or in Spoolman). */
  refuseArchiveLoaded(s: SpoolView): void {
    if (s.loadedOn) throw new AppError('conflict', `This spool is loaded on ${this.d.printerName(s.loadedOn.printerId) ?? 'a printer'}. Unload it first, then archive it.`);
  }

  restore(spoolId: string): SpoolView {
    const s = this.requireLocal(spoolId);
    if (!s.archived) return s;
    this.store.setArchived(spoolId, null, this.d.clock.now());
    return this.committed([spoolId])[0]!;
  }

  /** Puts a spool on a printer's slot; the spool that was there is unloaded, and this one leaves wherever it was. */
  load(spoolId: string, place: SpoolPlace): SpoolView {
    const s = this.require(spoolId);
    if (s.archived) throw new AppError('conflict', 'This spool is archived. Restore it before loading it.');
    if (s.spoolman?.missing) throw new AppError('conflict', `Spoolman no longer has spool #${s.spoolman.id} (it was deleted there), so it cannot be loaded.`);
    if (this.d.printerName(place.printerId) === null) throw new AppError('not_found', 'That printer no longer exists.');
    if (place.slot !== DEFAULT_SLOT && !(this.d.traysOf?.(place.printerId) ?? []).some((t) => t.amsUnit !== null && traySlot(t.amsUnit, t.tray) === place.slot)) {
      throw new AppError(
        'invalid_input',
        `${this.d.printerName(place.printerId)} reports no AMS tray for slot ${place.slot}: a spool goes into a tray the printer reports (or slot 0, its one spool holder).`,
      );
    }
    const before = this.store.inSlot(place);
    this.d.db.transaction(() => this.store.place(spoolId, place, this.d.clock.now()))();
    return this.committed([spoolId, ...(before && before !== spoolId ? [before] : [])])[0]!;
  }

  unload(place: SpoolPlace): SpoolView | null {
    const before = this.store.inSlot(place);
    if (!before) return null;
    this.store.clearSlot(place);
    return this.committed([before])[0]!;
  }

  usage(spoolId: string): SpoolUsageEntry[] {
    this.require(spoolId);
    return this.store.usageOf(spoolId);
  }

  /** Inside a job's start: the spool in the slot it prints from is the one its end deducts from. */
  claimInTx(jobId: string, printerId: string, at: number, slot = DEFAULT_SLOT): void {
    const s = this.loadedOn(printerId, slot);
    if (s) this.store.claim(jobId, printerId, [{ slot, spoolId: s.id }], at);
  }

  /**
   * Inside a job's end: takes what it used (its need's grams × how far it got) off the spools it started with.
   * Idempotent: a usage row is closed once, so a second report of the same end takes nothing. Returns the spools
   * changed, for `committed` after the transaction.
   */
  deductInTx(jobId: string, need: MaterialNeed | null, fraction: number | null, at: number): string[] {
    const changed: string[] = [];
    for (const u of this.store.openUsage(jobId)) {
      const spool = this.store.get(u.spool_id);
      if (!spool) continue;
      const full = need ? gramsNeeded(need, spool) : null;
      // Unknown use (no figures in the file, or no progress known) is recorded as 0 g rather than guessed.
      const grams = full === null || fraction === null ? 0 : Math.round(full * Math.min(Math.max(fraction, 0), 1) * 100) / 100;
      if (!this.store.closeUsage(jobId, u.slot, fraction, grams, at)) continue;
      if (grams > 0) this.store.setRemaining(spool.id, Math.max(0, Math.round((spool.remainingG - grams) * 100) / 100), at);
      // A Spoolman spool's use is also queued for Spoolman, in this same transaction: it is sent once, later.
      if (grams > 0 && spool.spoolman && this.d.spoolmanUseInTx) {
        this.d.spoolmanUseInTx({ jobId, slot: u.slot, spoolmanId: spool.spoolman.id, grams, at });
        this.queuedUse = true;
      }
      changed.push(spool.id);
    }
    return changed;
  }

  /** After a commit: memory takes the rows as written, and listeners hear of them. */
  committed(ids: readonly string[]): SpoolView[] {
    const views: SpoolView[] = [];
    for (const id of new Set(ids)) {
      const s = this.store.get(id);
      if (!s) continue;
      if (!this.inSource(s)) {
        this.byId.delete(id);
        continue;
      }
      this.byId.set(id, s);
      views.push(s);
    }
    // A spool that left a slot shows that too: re-read the loaded ones whose slot another spool now holds.
    for (const other of this.byId.values()) {
      if (!other.loadedOn || ids.includes(other.id)) continue;
      const now = this.store.inSlot(other.loadedOn);
      if (now !== other.id) {
        const fresh = this.store.get(other.id);
        if (fresh) {
          this.byId.set(other.id, fresh);
          views.push(fresh);
        }
      }
    }
    if (views.length) for (const l of this.listeners) l(views);
    if (this.queuedUse) {
      this.queuedUse = false;
      this.d.onSpoolmanUse?.();
    }
    return views;
  }

  /** A spool kept here: a Spoolman spool is changed in Spoolman, through its source. */
  private requireLocal(spoolId: string): SpoolView {
    const s = this.require(spoolId);
    if (s.spoolman) throw new AppError('conflict', 'This spool is kept in Spoolman; change it there, or through the Spools screen while Spoolman is in use.');
    return s;
  }

  /** Bulk insert and update in one transaction (the CSV import): a row that cannot apply undoes them all. */
  applyImport(rows: { line: number; id: string | null; fields: SpoolFields; archived: boolean | null }[]): { created: number; updated: number } {
    const now = this.d.clock.now();
    const ids: string[] = [];
    let created = 0;
    let updated = 0;
    this.d.db.transaction(() => {
      for (const r of rows) {
        const existing = r.id !== null ? this.store.get(r.id) : null;
        const id = existing ? existing.id : (r.id ?? randomUUID());
        if (existing) {
          this.store.update(id, r.fields, now);
          updated++;
        } else {
          this.store.insert(id, r.fields, now);
          created++;
        }
        if (r.archived !== null && r.archived !== (existing?.archived ?? false)) {
          if (r.archived && existing?.loadedOn) {
            throw new AppError(
              'invalid_input',
              `Line ${r.line}: this spool is loaded on ${this.d.printerName(existing.loadedOn.printerId) ?? 'a printer'}, so it cannot be archived. Nothing was imported; unload it first, or set archived to no.`,
            );
          }
          this.store.setArchived(id, r.archived ? now : null, now);
        }
        ids.push(id);
      }
    })();
    this.committed(ids);
    return { created, updated };
  }
}

export function fieldsOf(s: SpoolView): SpoolFields {
  return {
    material: s.material,
    brand: s.brand,
    colourHex: s.colourHex,
    colourName: s.colourName,
    diameterMm: s.diameterMm,
    densityGCm3: s.densityGCm3,
    netWeightG: s.netWeightG,
    remainingG: s.remainingG,
    cost: s.cost,
    lot: s.lot,
  };
}
