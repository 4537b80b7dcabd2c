/**
 * The link to a Spoolman server (https://github.com/Donkie/Spoolman), as the UI sees it. Shared with the renderer as
 * types only.
 */

/** Where the spool inventory is kept: here, or on the Spoolman server at `url`. */
export type SpoolSourceKind = 'local' | 'spoolman';

/** A use Spoolman refused for good (the spool was deleted there, or it rejected the request): kept, never retried. */
export interface SpoolmanRefusedUse {
  jobId: string;
  spoolmanId: number;
  grams: number;
  message: string;
  at: number;
}

export interface SpoolmanStatus {
  source: SpoolSourceKind;
  /** The server's base URL (`http://host:7912`), null while spools are kept here. */
  url: string | null;
  /** Whether the last request reached it; null before the first one. */
  reachable: boolean | null;
  /** Spoolman's version from `/api/v1/info`. */
  version: string | null;
  /** What went wrong with the last request, in words for the user; null when it went well. */
  problem: string | null;
  lastSyncAt: number | null;
  /** Filament used by prints and not yet recorded in Spoolman (kept here until it is). */
  pendingUses: number;
  pendingGrams: number;
  refusedUses: SpoolmanRefusedUse[];
  /** Spoolman spools left out because neither they nor their filament state a weight (nothing to match or deduct). */
  skippedSpools: number;
}

/** What `/api/v1/info` told us, for the Settings screen's Check. */
export interface SpoolmanCheck {
  url: string;
  version: string;
}
