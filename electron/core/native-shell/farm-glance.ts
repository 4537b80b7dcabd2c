import type { EventName, EventPayloads } from '../contract';
import type { FarmProfile } from '../contract/jobs-types';
import type { MaintenanceTaskView } from '../contract/maintenance-types';
import type { PrinterState } from '../printers/model';

/** The farm at a glance, for the tray: the icon shows `state`, the menu's first lines the rest. */
export interface FarmGlance {
  state: 'idle' | 'printing' | 'attention';
  printing: number;
  attention: { printerId: string; name: string; why: string }[];
  /** Printers with a maintenance task due that does not hold them (a held one is in `attention`: it stops work). */
  maintenance: { printerId: string; name: string; why: string }[];
  /** One line for the tray's tooltip. */
  summary: string;
}

export interface GlancePrinter {
  id: string;
  name: string;
  state: PrinterState;
}

/** What the tray needs of a printer's maintenance: the due tasks' words, and whether one of them holds it. */
export interface GlanceMaintenance {
  due: string[];
  holding: boolean;
}

/**
 * Needs attention wins over printing, printing over idle: a printer in error, one whose key was refused or is
 * missing, a bed the farm waits to be told is clear, or a printer held for maintenance all stop work until someone
 * comes. A printer merely offline (switched off) does not: a farm has those every night; nor does maintenance due
 * on a printer that keeps printing (listed, but the icon stays as it is).
 */
export function farmGlance(
  printers: readonly GlancePrinter[],
  profiles: ReadonlyMap<string, Pick<FarmProfile, 'bed'>>,
  maintenance: ReadonlyMap<string, GlanceMaintenance> = new Map(),
): FarmGlance {
  const attention: FarmGlance['attention'] = [];
  const due: FarmGlance['maintenance'] = [];
  let printing = 0;
  for (const p of printers) {
    const m = maintenance.get(p.id);
    const why = attentionReason(p.state, profiles.get(p.id)?.bed === 'needs_clear') ?? (m?.holding ? `held for maintenance: ${m.due.join(', ')}` : null);
    if (why) attention.push({ printerId: p.id, name: p.name, why });
    else if (m?.due.length) due.push({ printerId: p.id, name: p.name, why: `maintenance: ${m.due.join(', ')}` });
    if (p.state.kind === 'printing' || p.state.kind === 'paused') printing++;
  }
  const state = attention.length ? 'attention' : printing ? 'printing' : 'idle';
  const parts = [
    printing ? `${printing} printing` : null,
    attention.length ? `${attention.length} need${attention.length === 1 ? 's' : ''} attention` : null,
    due.length ? `${due.length} due for maintenance` : null,
  ].filter(Boolean);
  const summary = `AutoPrintFarm — ${parts.length ? parts.join(', ') : printers.length ? 'all idle' : 'no printers'}`;
  return { state, printing, attention, maintenance: due, summary };
}

/** A printer's tasks as the tray sees them; null when none is due. */
export function glanceMaintenance(tasks: readonly Pick<MaintenanceTaskView, 'dueText' | 'holding'>[]): GlanceMaintenance | null {
  const due = tasks.flatMap((t) => (t.dueText ? [t.dueText] : []));
  return due.length ? { due, holding: tasks.some((t) => t.holding) } : null;
}

function attentionReason(state: PrinterState, bedNeedsClear: boolean): string | null {
  if (state.kind === 'error') return `error: ${state.message}`;
  if (state.kind === 'offline' && state.credential) return `its ${state.credential.what} is ${state.credential.problem === 'refused' ? 'refused' : 'missing'}`;
  if (bedNeedsClear) return 'bed needs clearing';
  return null;
}

/** Keeps what farmGlance needs from the core's events: printers and their states, each bed, and maintenance due. */
export class GlanceState {
  private readonly printers = new Map<string, GlancePrinter>();
  private readonly beds = new Map<string, Pick<FarmProfile, 'bed'>>();
  private readonly maintenance = new Map<string, GlanceMaintenance>();

  constructor(
    printers: readonly { id: string; name: string; status: { state: PrinterState } }[] = [],
    profiles: readonly FarmProfile[] = [],
    tasks: readonly MaintenanceTaskView[] = [],
  ) {
    this.setPrinters(printers);
    for (const p of profiles) this.beds.set(p.printerId, { bed: p.bed });
    for (const printerId of new Set(tasks.map((t) => t.printerId)))
      this.setMaintenance(
        printerId,
        tasks.filter((t) => t.printerId === printerId),
      );
  }

  /** Applies one event; true when the glance may have changed. */
  apply<E extends EventName>(name: E, payload: EventPayloads[E]): boolean {
    if (name === 'printers.changed') {
      this.setPrinters((payload as EventPayloads['printers.changed']).printers);
      return true;
    }
    if (name === 'printer.status') {
      const { printerId, status } = payload as EventPayloads['printer.status'];
      const known = this.printers.get(printerId);
      if (!known || known.state.kind === status.state.kind) return false;
      this.printers.set(printerId, { ...known, state: status.state });
      return true;
    }
    if (name === 'farm.profile') {
      const { profile } = payload as EventPayloads['farm.profile'];
      this.beds.set(profile.printerId, { bed: profile.bed });
      return true;
    }
    if (name === 'maintenance.updated') {
      const { printerId, tasks } = payload as EventPayloads['maintenance.updated'];
      return this.setMaintenance(printerId, tasks);
    }
    return false;
  }

  glance(): FarmGlance {
    return farmGlance([...this.printers.values()], this.beds, this.maintenance);
  }

  /** True when what the tray shows of this printer's maintenance changed. */
  private setMaintenance(printerId: string, tasks: readonly MaintenanceTaskView[]): boolean {
    const next = glanceMaintenance(tasks);
    const before = this.maintenance.get(printerId);
    if (next) this.maintenance.set(printerId, next);
    else this.maintenance.delete(printerId);
    return JSON.stringify(before ?? null) !== JSON.stringify(next);
  }

  private setPrinters(printers: readonly { id: string; name: string; status: { state: PrinterState } }[]): void {
    this.printers.clear();
    for (const p of printers) this.printers.set(p.id, { id: p.id, name: p.name, state: p.status.state });
  }
}
