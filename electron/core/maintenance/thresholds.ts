import type { MaintenanceCounters, MaintenanceProgress, MaintenanceState, MaintenanceTaskFields } from '../contract/maintenance-types';

/** From this share of any threshold a task is "soon": time to order the nozzle. */
export const SOON_AT = 0.9;

export interface Assessment {
  progress: MaintenanceProgress[];
  state: MaintenanceState;
  /** "nozzle change due (212 h of 200 h)" when due, else null. */
  dueText: string | null;
}

/** Where a task stands against its thresholds. Pure: the service, the tests and nothing else call it. */
export function assess(task: Pick<MaintenanceTaskFields, 'name' | 'everyHours' | 'everyGrams' | 'everyPrints'>, c: MaintenanceCounters): Assessment {
  const progress: MaintenanceProgress[] = [];
  if (task.everyHours !== null) progress.push({ measure: 'hours', used: c.hours, limit: task.everyHours, fraction: c.hours / task.everyHours });
  if (task.everyGrams !== null) progress.push({ measure: 'grams', used: c.grams, limit: task.everyGrams, fraction: c.grams / task.everyGrams });
  if (task.everyPrints !== null) progress.push({ measure: 'prints', used: c.prints, limit: task.everyPrints, fraction: c.prints / task.everyPrints });
  const reached = progress.filter((p) => p.fraction >= 1);
  const state: MaintenanceState = reached.length ? 'due' : progress.some((p) => p.fraction >= SOON_AT) ? 'soon' : 'ok';
  const dueText = reached.length ? `${inSentence(task.name)} due (${reached.map(describeProgress).join(', ')})` : null;
  return { progress, state, dueText };
}

/** "212 h of 200 h", "1.2 kg of 1 kg", "3 of 3 prints". */
export function describeProgress(p: Pick<MaintenanceProgress, 'measure' | 'used' | 'limit'>): string {
  if (p.measure === 'hours') return `${hours(p.used)} of ${hours(p.limit)}`;
  if (p.measure === 'grams') return `${grams(p.used)} of ${grams(p.limit)}`;
  return `${p.used} of ${p.limit} print${p.limit === 1 ? '' : 's'}`;
}

export function hours(h: number): string {
  // Whole hours once there are ten: "212 h" reads better than "212.4 h", and a threshold is never that precise.
  return h >= 10 ? `${Math.floor(h)} h` : `${Math.floor(h * 10) / 10} h`;
}

export function grams(g: number): string {
  if (g >= 1000) return `${Math.floor(g / 100) / 10} kg`;
  return `${g >= 10 ? Math.floor(g) : Math.floor(g * 10) / 10} g`;
}

/** "Nozzle change" → "nozzle change" inside a sentence; "PTFE tube" stays as it is. */
export function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}
