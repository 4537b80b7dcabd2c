import type { FarmProfile } from '../../../../electron/core/contract/jobs-types';
import type { PrinterView } from '../../../../electron/core/contract';
import type { MaintenanceDue } from '../maintenance/maintenance-summary';

/**
 * What a printer needs from a person, as the wall shows it: one word, a tone (its colour) and a rank, lowest
 * first. A person walking past should see the printers that wait for them before the ones that are fine.
 */
export interface Attention {
  rank: number;
  tone: 'alert' | 'action' | 'off' | 'busy' | 'ok';
  word: string;
  /** The sentence behind the word, for the tile's title and screen readers. */
  detail: string | null;
}

export function attentionOf(printer: PrinterView, profile: FarmProfile | undefined, maintenance: MaintenanceDue | null = null): Attention {
  const { state, attention } = printer.status;
  if (state.kind === 'error') return { rank: 0, tone: 'alert', word: 'Error', detail: state.message };
  if (state.kind === 'offline' && state.certificate) return { rank: 0, tone: 'alert', word: 'Certificate', detail: state.reason };
  if (state.kind === 'offline' && state.credential) return { rank: 0, tone: 'alert', word: 'Sign-in', detail: state.reason };
  if (attention?.kind === 'filament') return { rank: 1, tone: 'action', word: 'Filament out', detail: attention.message };
  if (profile?.bed === 'needs_clear' && state.kind !== 'printing' && state.kind !== 'paused') {
    return { rank: 1, tone: 'action', word: 'Clear bed', detail: 'The last print is still on the bed: remove it and confirm in Jobs.' };
  }
  // Maintenance waits for the print to end; a held printer stops work like a bed to clear, a due one can carry on.
  const between = state.kind !== 'printing' && state.kind !== 'paused';
  if (maintenance?.holding && between) {
    return { rank: 1, tone: 'action', word: 'Maintenance', detail: `Held: ${maintenance.text}. Mark it done on the printer's page to release it.` };
  }
  if (state.kind === 'paused') return { rank: 2, tone: 'action', word: 'Paused', detail: `${state.job.fileName} is paused.` };
  if (printer.notice) return { rank: 2, tone: 'action', word: 'Check', detail: printer.notice.message };
  if (maintenance && between && state.kind !== 'offline') return { rank: 2, tone: 'action', word: 'Maintenance', detail: `Due: ${maintenance.text}.` };
  if (state.kind === 'offline') return { rank: 3, tone: 'off', word: 'Offline', detail: state.reason };
  if (state.kind === 'printing') return { rank: 4, tone: 'busy', word: 'Printing', detail: null };
  if (state.kind === 'busy' || state.kind === 'connecting')
    return { rank: 5, tone: 'busy', word: state.kind === 'busy' ? 'Busy' : 'Connecting', detail: state.kind === 'busy' ? state.what : null };
  return { rank: 6, tone: 'ok', word: 'Ready', detail: null };
}

/**
 * Needs attention first; among printers printing, the one finishing soonest first; otherwise the fleet's own
 * order (`printers` comes in it). Numbers only: this runs on every status change of a 200-printer wall.
 */
export function wallOrder(
  printers: readonly PrinterView[],
  profiles: ReadonlyMap<string, FarmProfile>,
  maintenance: ReadonlyMap<string, MaintenanceDue | null> = new Map(),
): { printer: PrinterView; attention: Attention }[] {
  return printers
    .map((printer, index) => ({ printer, attention: attentionOf(printer, profiles.get(printer.id), maintenance.get(printer.id) ?? null), left: remaining(printer), index }))
    .sort((a, b) => a.attention.rank - b.attention.rank || a.left - b.left || a.index - b.index)
    .map(({ printer, attention }) => ({ printer, attention }));
}

function remaining(p: PrinterView): number {
  const s = p.status.state;
  return s.kind === 'printing' ? (s.job.remainingSeconds ?? Number.MAX_SAFE_INTEGER) : 0;
}
