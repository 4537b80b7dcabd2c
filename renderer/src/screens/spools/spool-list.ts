import type { SpoolView } from '../../../../electron/core/contract/materials-types';

/** A `spools.updated` event applied to a list: changed spools replaced in place, new ones added at the end. */
export function applySpoolChanges(list: readonly SpoolView[], changed: readonly SpoolView[]): SpoolView[] {
  const next = [...list];
  for (const s of changed) {
    const at = next.findIndex((x) => x.id === s.id);
    if (at < 0) next.push(s);
    else next[at] = s;
  }
  return next;
}

/** The spool loaded on a printer's slot, if any. */
export function spoolOn(list: readonly SpoolView[], printerId: string, slot = 0): SpoolView | null {
  return list.find((s) => s.loadedOn?.printerId === printerId && s.loadedOn.slot === slot) ?? null;
}

/** "PLA · Jet black · Prusament" */
export function spoolLabel(s: SpoolView): string {
  return [s.material, s.colourName || s.colourHex, s.brand].filter(Boolean).join(' · ');
}

export function gramsText(g: number): string {
  return `${g < 10 ? Math.round(g * 10) / 10 : Math.round(g)} g`;
}
