/**
 * The parts of Spoolman's REST API v1 (`spoolman/api/v1/models.py`) we read and write. Spoolman leaves out fields
 * that are null (`response_model_exclude_none`), so every optional field may be absent.
 */

export interface SmInfo {
  version: string;
  debug_mode?: boolean;
  automatic_backups?: boolean;
  db_type?: string;
}

export interface SmVendor {
  id: number;
  registered: string;
  name: string;
  comment?: string;
  empty_spool_weight?: number;
  external_id?: string;
  extra: Record<string, string>;
}

export interface SmFilament {
  id: number;
  registered: string;
  name?: string;
  vendor?: SmVendor;
  material?: string;
  price?: number;
  /** g/cm³ */
  density: number;
  /** mm */
  diameter: number;
  /** Net filament on a full spool, grams. */
  weight?: number;
  spool_weight?: number;
  article_number?: string;
  comment?: string;
  /** `RRGGBB` or `RRGGBBAA`, no `#`. */
  color_hex?: string;
  multi_color_hexes?: string;
  multi_color_direction?: 'coaxial' | 'longitudinal';
  extra: Record<string, string>;
}

export interface SmSpool {
  id: number;
  registered: string;
  first_used?: string;
  last_used?: string;
  filament: SmFilament;
  price?: number;
  /** Only when the spool or its filament states a weight. */
  remaining_weight?: number;
  initial_weight?: number;
  spool_weight?: number;
  used_weight: number;
  remaining_length?: number;
  used_length: number;
  location?: string;
  lot_nr?: string;
  comment?: string;
  archived: boolean;
  extra: Record<string, string>;
}

/** POST /filament */
export interface SmFilamentCreate {
  name?: string | null;
  vendor_id?: number | null;
  material?: string | null;
  price?: number | null;
  density: number;
  diameter: number;
  weight?: number | null;
  color_hex?: string | null;
}

/** POST /spool, PATCH /spool/{id} (all optional there). */
export interface SmSpoolWrite {
  filament_id?: number;
  price?: number | null;
  initial_weight?: number | null;
  remaining_weight?: number | null;
  lot_nr?: string | null;
  archived?: boolean;
}

/** Spoolman's error bodies: `{message}` for its own (400, 404), FastAPI's `{detail: [...]}` for validation (422). */
export interface SmMessage {
  message: string;
}
export interface SmValidationError {
  detail: { type?: string; loc: (string | number)[]; msg: string; input?: unknown }[];
}
