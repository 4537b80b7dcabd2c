import { randomUUID } from 'node:crypto';
import { MAINTENANCE_KIND_LABEL, type MaintenanceKind, type MaintenanceLogEntry, type MaintenanceTaskFields, type MaintenanceTaskView } from '../contract/maintenance-types';
import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Db } from '../store/database';
import { MaintenanceCounterReader } from './counters';
import { MaintenanceStore, type TaskRecord } from './maintenance-store';
import { assess } from './thresholds';

export interface MaintenanceDeps {
  db: Db;
  clock: Clock;
  /** A printer's name, or null when it is not in the fleet (a task is added only to a printer of the fleet). */
  printerName: (printerId: string) => string | null;
  /** Called after a change is committed, with all of that printer's tasks. */
  onChange?: (printerId: string, tasks: MaintenanceTaskView[]) => void;
}

export interface NewTask {
  printerId: string;
  kind: MaintenanceKind;
  name: string;
  everyHours: number | null;
  everyGrams: number | null;
  everyPrints: number | null;
  holdWhenDue: boolean;
  countFrom: 'now' | 'history';
}

export type TaskPatch = Partial<Pick<MaintenanceTaskFields, 'name' | 'everyHours' | 'everyGrams' | 'everyPrints' | 'holdWhenDue'>>;

const AT_LEAST_ONE = 'Give at least one threshold: print hours, grams of filament or number of prints.';

/**
 * Each printer's maintenance tasks with their counters, held in memory so the dispatcher asks "is this printer
 * held?" without reading the database. Counters are read again from the history when one of the printer's prints
 * is recorded (`printRecorded`) and when a task changes; every change is committed before listeners hear of it.
 */
export class MaintenanceService {
  private readonly store: MaintenanceStore;
  private readonly counters: MaintenanceCounterReader;
  private readonly records = new Map<string, TaskRecord>();
  private readonly byPrinter = new Map<string, MaintenanceTaskView[]>();
  /** Why each held printer is held ("nozzle change due (212 h of 200 h)"); absent when it is not. */
  private readonly held = new Map<string, string>();
  private readonly listeners: ((printerId: string, tasks: MaintenanceTaskView[]) => void)[] = [];

  constructor(private readonly d: MaintenanceDeps) {
    this.store = new MaintenanceStore(d.db);
    this.counters = new MaintenanceCounterReader(d.db);
    for (const t of this.store.allTasks()) this.records.set(t.id, t);
    for (const printerId of new Set([...this.records.values()].map((t) => t.printerId))) this.refresh(printerId, false);
    if (d.onChange) this.listeners.push(d.onChange);
  }

  onChange(listener: (printerId: string, tasks: MaintenanceTaskView[]) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  /** One printer's tasks, or every printer's. */
  list(printerId?: string): MaintenanceTaskView[] {
    if (printerId !== undefined) return this.byPrinter.get(printerId) ?? [];
    return [...this.byPrinter.values()].flat();
  }

  log(printerId: string, limit = 20): MaintenanceLogEntry[] {
    return this.store.log(printerId, limit);
  }

  /** Why the queue must start nothing on this printer now, or null. */
  heldReason(printerId: string): string | null {
    return this.held.get(printerId) ?? null;
  }

  create(input: NewTask): MaintenanceTaskView {
    if (this.d.printerName(input.printerId) === null) throw new AppError('not_found', 'That printer no longer exists.');
    const now = this.d.clock.now();
    const record: TaskRecord = {
      id: randomUUID(),
      printerId: input.printerId,
      kind: input.kind,
      name: nameFor(input.kind, input.name),
      everyHours: input.everyHours,
      everyGrams: input.everyGrams,
      everyPrints: input.everyPrints,
      holdWhenDue: input.holdWhenDue,
      since: now,
      // Counting from now takes the printer as freshly serviced; from its history, everything on record counts.
      afterHistoryId: input.countFrom === 'now' ? this.counters.lastHistoryId() : 0,
      lastDoneAt: null,
      createdAt: now,
      updatedAt: now,
    };
    requireThreshold(record);
    this.store.insertTask(record);
    this.records.set(record.id, record);
    return this.changed(record.printerId, record.id);
  }

  update(taskId: string, patch: TaskPatch): MaintenanceTaskView {
    const current = this.require(taskId);
    // A field left out (or sent as undefined) keeps its value; null clears a threshold.
    const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as TaskPatch;
    const next: TaskRecord = { ...current, ...given, updatedAt: this.d.clock.now() };
    if (patch.name !== undefined) next.name = nameFor(current.kind, patch.name);
    requireThreshold(next);
    this.store.updateTask(next);
    this.records.set(taskId, next);
    return this.changed(next.printerId, taskId);
  }

  remove(taskId: string): void {
    const t = this.require(taskId);
    this.store.deleteTask(taskId);
    this.records.delete(taskId);
    this.changed(t.printerId, null);
  }

  /** The task is done now: the log keeps who, when and the counters it had, and counting starts again. */
  markDone(taskId: string, by: string, note: string): { task: MaintenanceTaskView; entry: MaintenanceLogEntry } {
    const t = this.require(taskId);
    const now = this.d.clock.now();
    const { entry, next } = this.d.db.transaction(() => {
      const counters = this.counters.since(t.printerId, t.afterHistoryId);
      const entry = this.store.insertLog({ taskId, printerId: t.printerId, kind: t.kind, name: t.name, doneAt: now, doneBy: by, note, counters });
      const next: TaskRecord = { ...t, since: now, afterHistoryId: this.counters.lastHistoryId(), lastDoneAt: now, updatedAt: now };
      this.store.updateTask(next);
      return { entry, next };
    })();
    this.records.set(taskId, next);
    return { task: this.changed(t.printerId, taskId), entry };
  }

  /** A print of this printer was recorded in the history: its counters moved. */
  printRecorded(printerId: string): void {
    if (![...this.records.values()].some((t) => t.printerId === printerId)) return;
    this.refresh(printerId, true);
  }

  private require(taskId: string): TaskRecord {
    const t = this.records.get(taskId);
    if (!t) throw new AppError('not_found', 'That maintenance task no longer exists (it may have been removed elsewhere). Reload the page.');
    return t;
  }

  /** After a commit: the printer's views are rebuilt and announced; answers the view of `taskId`. */
  private changed(printerId: string, taskId: string): MaintenanceTaskView;
  private changed(printerId: string, taskId: null): null;
  private changed(printerId: string, taskId: string | null): MaintenanceTaskView | null {
    this.refresh(printerId, true, true);
    return taskId === null ? null : (this.byPrinter.get(printerId)?.find((v) => v.id === taskId) ?? null);
  }

  private refresh(printerId: string, announce: boolean, always = false): void {
    const before = this.byPrinter.get(printerId);
    const views = [...this.records.values()].filter((t) => t.printerId === printerId).map((t) => this.view(t));
    if (views.length) this.byPrinter.set(printerId, views);
    else this.byPrinter.delete(printerId);
    const holding = views.filter((v) => v.holding).map((v) => v.dueText!);
    if (holding.length) this.held.set(printerId, holding.join(', '));
    else this.held.delete(printerId);
    // A print of a printer whose tasks did not move (a cancelled print with no filament, say) is not news.
    if (!announce || (!always && JSON.stringify(before ?? []) === JSON.stringify(views))) return;
    for (const l of this.listeners) l(printerId, views);
  }

  private view(t: TaskRecord): MaintenanceTaskView {
    const counters = this.counters.since(t.printerId, t.afterHistoryId);
    const { progress, state, dueText } = assess(t, counters);
    return {
      id: t.id,
      printerId: t.printerId,
      kind: t.kind,
      name: t.name,
      everyHours: t.everyHours,
      everyGrams: t.everyGrams,
      everyPrints: t.everyPrints,
      holdWhenDue: t.holdWhenDue,
      since: t.since,
      lastDoneAt: t.lastDoneAt,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      counters,
      progress,
      state,
      dueText,
      holding: state === 'due' && t.holdWhenDue,
    };
  }
}

function nameFor(kind: MaintenanceKind, name: string): string {
  const trimmed = name.trim();
  if (trimmed) return trimmed;
  if (kind === 'custom') throw new AppError('invalid_input', 'Name the task (for example "PTFE tube").');
  return MAINTENANCE_KIND_LABEL[kind];
}

function requireThreshold(t: Pick<MaintenanceTaskFields, 'everyHours' | 'everyGrams' | 'everyPrints'>): void {
  if (t.everyHours === null && t.everyGrams === null && t.everyPrints === null) throw new AppError('invalid_input', AT_LEAST_ONE);
}
