import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrinterConfigSchema, type PrinterConfig } from '../../core/printers/printer-configs';
import { defaultDataDir } from '../data-dir';

export type SavedUsbPrinter = Extract<PrinterConfig, { kind: 'marlin' }>;

/**
 * The USB printers saved in a data folder, read without side effects: a CLI command that only looks (apf ports,
 * apf print --printer) must not move a broken settings file aside or take the folder's lock while `apf serve`
 * or the desktop app holds it.
 */
export function savedUsbPrinters(dataDirFlag: string | undefined): { printers: SavedUsbPrinter[]; problem: string | null } {
  const file = join(dataDirFlag ?? defaultDataDir(), 'config.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { printers: [], problem: null };
    return { printers: [], problem: `could not read ${file} (${err instanceof Error ? err.message : String(err)})` };
  }
  const saved = (raw as { printers?: { saved?: unknown } } | null)?.printers?.saved;
  const printers: SavedUsbPrinter[] = [];
  for (const entry of Array.isArray(saved) ? saved : []) {
    const parsed = PrinterConfigSchema.safeParse(entry);
    if (parsed.success && parsed.data.kind === 'marlin') printers.push(parsed.data);
  }
  return { printers, problem: null };
}

/** A saved USB printer by id or by name (case-insensitive); a clear error naming the choices otherwise. */
export function findSavedUsbPrinter(printers: readonly SavedUsbPrinter[], wanted: string): SavedUsbPrinter | string {
  const byId = printers.find((p) => p.id === wanted);
  if (byId) return byId;
  const byName = printers.filter((p) => p.name.toLowerCase() === wanted.toLowerCase());
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) return `${byName.length} USB printers are named "${wanted}"; use the id instead (${byName.map((p) => p.id).join(', ')}).`;
  if (!printers.length) return 'This data folder has no saved USB printers. Add one in the app, or give --port.';
  return `No saved USB printer is called "${wanted}". Saved: ${printers.map((p) => `${p.name} (${p.id})`).join(', ')}.`;
}
