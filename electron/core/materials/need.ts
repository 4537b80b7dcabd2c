import type { JobTarget } from '../contract/jobs-types';
import type { HexColour, MaterialNeed } from '../contract/materials-types';
import { normaliseHex } from './matching';

export interface FileFigures {
  material: string | null;
  colour?: string | null;
  filamentG: number | null;
  filamentMm: number | null;
}

/**
 * What a new job needs on a spool: its file's stated material, colour and filament. A material the user asked for
 * when queueing (the queue dialog's "needs material") wins over the file's. Null when the file states none of them.
 */
export function needFromFile(file: FileFigures, target: JobTarget): MaterialNeed | null {
  const asked = target.kind === 'any' ? (target.requirements.material ?? null) : null;
  const need: MaterialNeed = {
    material: asked ?? file.material,
    colourHex: file.colour ? normaliseHex(file.colour) : null,
    colourName: null,
    grams: file.filamentG,
    mm: file.filamentG === null ? file.filamentMm : null,
    edited: false,
  };
  return need.material === null && need.colourHex === null && need.grams === null && need.mm === null ? null : need;
}

/** A user's edit of a queued job's material and colour; the filament figures stay the file's. */
export function editedNeed(current: MaterialNeed | null, edit: { material: string | null; colourHex: HexColour | null; colourName: string | null }): MaterialNeed | null {
  const next: MaterialNeed = {
    material: edit.material?.trim() || null,
    colourHex: edit.colourHex,
    colourName: edit.colourHex === null ? edit.colourName?.trim() || null : null,
    grams: current?.grams ?? null,
    mm: current?.mm ?? null,
    edited: true,
  };
  return next.material === null && next.colourHex === null && next.colourName === null && next.grams === null && next.mm === null ? null : next;
}
