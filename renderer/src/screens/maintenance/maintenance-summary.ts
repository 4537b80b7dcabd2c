import type { MaintenanceProgress, MaintenanceTaskView } from '../../../../electron/core/contract/maintenance-types';

/** What a card or a tile says of a printer's maintenance: the due tasks, and whether one holds the queue. */
export interface MaintenanceDue {
  /** "nozzle change due (212 h of 200 h), cleaning due (25 of 25 prints)" */
  text: string;
  holding: boolean;
}

/** Null when nothing is due (a task "soon" is shown on the printer's page only). */
export function maintenanceDue(tasks: readonly MaintenanceTaskView[] | undefined): MaintenanceDue | null {
  const due = (tasks ?? []).flatMap((t) => (t.dueText ? [t.dueText] : []));
  return due.length ? { text: due.join(', '), holding: (tasks ?? []).some((t) => t.holding) } : null;
}

/** Every printer's tasks, with one printer's list replaced by what an event carried (an empty list removes it). */
export function withPrinterTasks(byPrinter: ReadonlyMap<string, MaintenanceTaskView[]>, printerId: string, tasks: MaintenanceTaskView[]): Map<string, MaintenanceTaskView[]> {
  const next = new Map(byPrinter);
  if (tasks.length) next.set(printerId, tasks);
  else next.delete(printerId);
  return next;
}

export function groupByPrinter(tasks: readonly MaintenanceTaskView[]): Map<string, MaintenanceTaskView[]> {
  const out = new Map<string, MaintenanceTaskView[]>();
  for (const t of tasks) out.set(t.printerId, [...(out.get(t.printerId) ?? []), t]);
  return out;
}

/** "212 h / 200 h" for a progress bar's label. */
export function progressLabel(p: Pick<MaintenanceProgress, 'measure' | 'used' | 'limit'>): string {
  if (p.measure === 'hours') return `${round(p.used)} h / ${round(p.limit)} h`;
  if (p.measure === 'grams') return `${round(p.used)} g / ${round(p.limit)} g`;
  return `${p.used} / ${p.limit} print${p.limit === 1 ? '' : 's'}`;
}

function round(v: number): string {
  return v >= 10 ? String(Math.floor(v)) : String(Math.floor(v * 10) / 10);
}
