import type { EventName, EventPayloads } from '../contract';
import type { FarmProfile } from '../contract/jobs-types';
import type { PrinterState } from '../printers/model';

/** The farm at a glance, for the tray: the icon shows `state`, the menu's first lines the rest. */
export interface FarmGlance {
  state: 'idle' | 'printing' | 'attention';
  printing: number;
  attention: { printerId: string; name: string; why: string }[];
  /** One line for the tray's tooltip. */
  summary: string;
}

export interface GlancePrinter {
  id: string;
  name: string;
  state: PrinterState;
}

/**
 * Needs attention wins over printing, printing over idle: a printer in error, one whose key was refused or is
 * missing, or a bed the farm waits to be told is clear all stop work until someone comes. A printer merely
 * offline (switched off) does not: a farm has those every night.
 */
export function farmGlance(printers: readonly GlancePrinter[], profiles: ReadonlyMap<string, Pick<FarmProfile, 'bed'>>): FarmGlance {
  const attention: FarmGlance['attention'] = [];
  let printing = 0;
  for (const p of printers) {
    const why = attentionReason(p.state, profiles.get(p.id)?.bed === 'needs_clear');
    if (why) attention.push({ printerId: p.id, name: p.name, why });
    if (p.state.kind === 'printing' || p.state.kind === 'paused') printing++;
  }
  const state = attention.length ? 'attention' : printing ? 'printing' : 'idle';
  const parts = [printing ? `${printing} printing` : null, attention.length ? `${attention.length} need${attention.length === 1 ? 's' : ''} attention` : null].filter(Boolean);
  const summary = `AutoPrintFarm — ${parts.length ? parts.join(', ') : printers.length ? 'all idle' : 'no printers'}`;
  return { state, printing, attention, summary };
}

function attentionReason(state: PrinterState, bedNeedsClear: boolean): string | null {
  if (state.kind === 'error') return `error: ${state.message}`;
  if (state.kind === 'offline' && state.credential) return `its ${state.credential.what} is ${state.credential.problem === 'refused' ? 'refused' : 'missing'}`;
  if (bedNeedsClear) return 'bed needs clearing';
  return null;
}

/** Keeps what farmGlance needs from the core's events: printers and their states, and each bed. */
export class GlanceState {
  private readonly printers = new Map<string, GlancePrinter>();
  private readonly beds = new Map<string, Pick<FarmProfile, 'bed'>>();

  constructor(printers: readonly { id: string; name: string; status: { state: PrinterState } }[] = [], profiles: readonly FarmProfile[] = []) {
    this.setPrinters(printers);
    for (const p of profiles) this.beds.set(p.printerId, { bed: p.bed });
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
    return false;
  }

  glance(): FarmGlance {
    return farmGlance([...this.printers.values()], this.beds);
  }

  private setPrinters(printers: readonly { id: string; name: string; status: { state: PrinterState } }[]): void {
    this.printers.clear();
    for (const p of printers) this.printers.set(p.id, { id: p.id, name: p.name, state: p.status.state });
  }
}
