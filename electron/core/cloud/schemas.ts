/**
 * Response shapes of the AutoPrintFarm v1 API (../../../../shared/spec/cloud-api.md), as the wire has them
 * (snake_case). Required are only the fields every generation of the API sends; the rest is optional, so a
 * newer server adding or dropping a detail does not break the app, while a truly malformed answer does.
 */
import { z } from 'zod';

const timestamp = z.string();
const nullableString = z.string().nullable();

export const AuthTestSchema = z.object({
  authenticated: z.boolean(),
  key_id: z.string(),
  organization: z.string(),
});
export type AuthTest = z.infer<typeof AuthTestSchema>;

export const ApiKeyInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  prefix: z.string().optional(),
  last4: z.string().optional(),
  request_count: z.number().int().nonnegative().optional(),
  expires_at: timestamp.nullable().optional(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfoSchema>;

/** Returned by create and roll: the only time the server sends the key itself. */
export const CreatedApiKeySchema = ApiKeyInfoSchema.extend({
  key: z.string().regex(/^apf_(?:live|test|dev)_[A-Za-z0-9]{16,128}$/, 'expected an AutoPrintFarm API key'),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const ApiKeyListSchema = z.union([
  z.object({ keys: z.array(ApiKeyInfoSchema) }).transform((b) => b.keys),
  z.object({ data: z.array(ApiKeyInfoSchema) }).transform((b) => b.data),
]);

export const PRINTER_STATUSES = ['idle', 'printing', 'paused', 'offline', 'error'] as const;
/** Known states, plus whatever a newer server adds (the newer API has `maintenance`). */
export type PrinterStatus = (typeof PRINTER_STATUSES)[number] | (string & {});

export const PrinterSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.custom<PrinterStatus>((v) => typeof v === 'string', 'Expected a status string.'),
  model: nullableString.optional(),
  firmware: nullableString.optional(),
  temperatures: z.object({ hotend: z.number().nullable(), bed: z.number().nullable() }).nullable().optional(),
  current_job: nullableString.optional(),
  progress: z.number().nullable().optional(),
  group: nullableString.optional(),
  tags: z.array(z.string()).optional(),
  created_at: timestamp,
  updated_at: timestamp,
  // Set on a printer a hub published (cloud-hub.md "Registration"): the hub and the hub's own id for it.
  hub_id: nullableString.optional(),
  local_id: nullableString.optional(),
  connection_type: nullableString.optional(),
});
export type Printer = z.infer<typeof PrinterSchema>;

/** A hub as the cloud knows it (cloud-hub.md "Registration"). */
export const HubSchema = z.object({
  id: z.string(),
  name: z.string(),
  is_online: z.boolean().optional(),
  last_seen_at: timestamp.nullable().optional(),
  firmware_version: nullableString.optional(),
  printer_ids: z.array(z.string()).optional(),
  created_at: timestamp.optional(),
});
export type Hub = z.infer<typeof HubSchema>;

export const CONNECTION_TYPES = ['usb', 'octoprint', 'moonraker', 'prusalink', 'bambu', 'virtual'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export const PRINTER_ACTIONS = ['pause', 'resume', 'cancel', 'home', 'cooldown'] as const;
export type PrinterAction = (typeof PRINTER_ACTIONS)[number];

export const JOB_STATUSES = ['queued', 'printing', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number] | (string & {});
export const JOB_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type JobPriority = (typeof JOB_PRIORITIES)[number];

export const JobSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  status: z.custom<JobStatus>((v) => typeof v === 'string', 'Expected a status string.'),
  // The newer API sends an integer 0–255 instead of a name.
  priority: z.union([z.enum(JOB_PRIORITIES), z.number(), z.string()]).optional(),
  printer_id: nullableString.optional(),
  progress: z.number().nullable().optional(),
  file_url: nullableString.optional(),
  created_at: timestamp,
  updated_at: timestamp,
  started_at: timestamp.nullable().optional(),
  finished_at: timestamp.nullable().optional(),
  failure_reason: nullableString.optional(),
});
export type Job = z.infer<typeof JobSchema>;

/**
 * A filament record of the cloud's materials inventory (research/apf-api.md §5). The API never shows a cost or a
 * reorder link. `diameter` is a string ("1.75mm"); `status` is computed by the server.
 */
export const FilamentSchema = z.object({
  id: z.string(),
  type: z.string(),
  color: z.string(),
  hex_code: nullableString.optional(),
  brand: nullableString.optional(),
  diameter: z.union([z.string(), z.number()]).nullable().optional(),
  remaining_grams: z.number(),
  spool_weight_grams: z.number().nullable().optional(),
  low_threshold: z.number().nullable().optional(),
  status: nullableString.optional(),
  location: nullableString.optional(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Filament = z.infer<typeof FilamentSchema>;

/** What the app sends for a filament record: everything but costs (the API refuses them). */
export interface FilamentBody {
  type: string;
  color: string;
  hex_code?: string;
  brand?: string;
  diameter?: string;
  remaining_grams?: number;
  spool_weight_grams?: number;
  low_threshold?: number;
  location?: string;
}
export interface FilamentFilters {
  low_stock?: boolean;
  material_type?: string;
  color?: string;
}

// Request bodies: typed for callers, checked by the server.
export interface CreateApiKeyBody {
  name: string;
  scopes: string[];
}
export interface CreatePrinterBody {
  name: string;
  model: string;
  group?: string | null;
  tags?: string[];
  connection_url?: string | null;
  /** The printer's own API key (OctoPrint etc.), not an AutoPrintFarm key. */
  api_key?: string | null;
  firmware?: string | null;
}
export interface RegisterHubBody {
  /** A uuid v4 the app made once and keeps. */
  hub_id: string;
  name?: string;
}
/** Publishing a local printer: idempotent on (hub_id, local_id), so a restart never duplicates it. */
export interface PublishPrinterBody extends CreatePrinterBody {
  hub_id: string;
  local_id: string;
  connection_type: ConnectionType;
}
/** Besides the create fields, a hub that runs the printer reports its live state. */
export interface UpdatePrinterBody extends Partial<CreatePrinterBody> {
  status?: PrinterStatus;
  temperatures?: { hotend?: number; bed?: number };
  progress?: number;
  current_job?: string | null;
}
export interface CreateJobBody {
  name: string;
  file_url: string;
  priority?: JobPriority;
  printer_id?: string;
}
export interface UpdateJobBody {
  status?: JobStatus;
  progress?: number;
  printer_id?: string | null;
  failure_reason?: string | null;
}
export interface PrinterFilters {
  status?: string;
  group?: string;
  tag?: string;
}
export interface JobFilters {
  status?: string;
  printer_id?: string;
  priority?: JobPriority;
  /** ISO 8601 */
  from?: string;
  to?: string;
}
