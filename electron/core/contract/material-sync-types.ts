/**
 * Cloud sync of spools with the AutoPrintFarm cloud's filament records, as the renderer sees it. Types only: no
 * Node imports, no key or token ever appears here.
 */

/**
 * `off`: no calls are made (no key, no materials scope); `reason` says why. `idle`: in step as of `lastSyncAt`.
 * `syncing`: a round is running. `offline`: the cloud could not be reached; changes wait here and go when it is back.
 * `rate-limited`: the cloud asked to wait until `retryAt`. `error`: the last round failed for another reason
 * (`lastError`), and is tried again at `retryAt`.
 */
export type MaterialSyncState = 'off' | 'idle' | 'syncing' | 'offline' | 'rate-limited' | 'error';

export interface MaterialSyncStatus {
  state: MaterialSyncState;
  /** Whether the key or sign-in holds a materials scope at all (read, write, or both). */
  enabled: boolean;
  /** Cloud edits come here (materials:read). */
  pull: boolean;
  /** Edits made here go to the cloud (materials:write). */
  push: boolean;
  /** Why the sync is off, or what it cannot do ("…can read but not write…"), in words for the user; null when all is well. */
  reason: string | null;
  /** When a round last finished without error, ms since the epoch; null before the first. */
  lastSyncAt: number | null;
  /** Spools changed here (or new) and not yet in the cloud. */
  pending: number;
  /** What went wrong in the last round, redacted of any key; null after a good round. */
  lastError: string | null;
  /** When the next attempt is due after an error or a 429, ms since the epoch; null otherwise. */
  retryAt: number | null;
  /** Conflicts recorded so far (the newest are in `materialSync.conflicts`). */
  conflicts: number;
}

/** A field a conflict changed: the losing side's value and the winning side's, formatted for display. */
export interface MaterialConflictChange {
  field: 'material' | 'colourName' | 'colourHex' | 'brand' | 'diameterMm' | 'remainingG' | 'netWeightG' | 'archived';
  /** "remaining", "colour name", … */
  label: string;
  /** The loser's value ("640 g"). */
  from: string;
  /** The winner's value ("512 g"). */
  to: string;
}

/**
 * Both sides changed the same spool since they were last in step: the newer edit won and the other was replaced.
 * The loser's version is kept here, so the UI can say "Cloud's edit of 14:02 replaced yours of 13:58: remaining
 * 640 g → 512 g".
 */
export interface MaterialConflict {
  id: number;
  spoolId: string;
  /** "PETG Galaxy black" as the spool is now. */
  spoolLabel: string;
  cloudId: string;
  winner: 'cloud' | 'local';
  /** When the winning edit was made (its side's updated_at), ms since the epoch. */
  winnerEditedAt: number;
  loserEditedAt: number;
  changes: MaterialConflictChange[];
  resolvedAt: number;
}
