/**
 * The hub ⇄ cloud socket's vocabulary (spec/cloud-hub.md, "The hub socket"): close codes, the schemas the
 * cloud checks hub messages against, and the shapes of what it sends. JSON text frames `{ "type": …, … }`.
 * Hub messages are read leniently (unknown fields are dropped, as the real firmware sends extras); a field
 * the cloud needs that is missing or of the wrong kind is answered with an `error` message.
 */
import { z } from 'zod';
import { PRINTER_STATUSES } from './lifecycle';

export const HUB_SOCKET_PATH = /^\/v1\/ws\/hub\/([^/]+)$/;

export const CLOSE_CODES = {
  /** (real) no hub_hello within the hello limit (10 s). */
  helloTimeout: 4001,
  /** (real) nothing heard from the hub for the silence limit (60 s): it is offline. */
  silent: 4002,
  /** (real) hub_hello names another hub than the socket's path. */
  hubIdMismatch: 4003,
  /** (real) the hub is not registered (or was unlinked, or belongs to another organization). */
  unknownHub: 4004,
  /** (ours) a newer socket for the same hub took over. */
  superseded: 4009,
  /** (ours) the key the socket was opened with was deleted or expired while it was open. */
  keyRevoked: 4401,
} as const;

/** The scopes a hub key must hold to open the socket. */
export const HUB_SOCKET_SCOPES = ['printers:write', 'jobs:write'] as const;

const id = z.string().min(1).max(200);
const text = (max: number) => z.string().max(max);
const percentage = z.number().min(0).max(100);
const celsius = z.number().min(-50).max(500).nullable().optional();
const isoInstant = z.string().refine((s) => Number.isFinite(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), 'must be an ISO 8601 date-time');

export const hubHello = z.object({
  hub_id: id,
  firmware_version: text(100).min(1),
  hardware_version: text(100).optional(),
  mac_address: text(64).optional(),
});

export const printerStatus = z.object({
  printer_id: id,
  status: z.enum(PRINTER_STATUSES),
  is_connected: z.boolean().optional(),
  progress_percentage: percentage.nullable().optional(),
  remaining_time_seconds: z.number().min(0).nullable().optional(),
  current_layer: z.number().int().min(0).nullable().optional(),
  total_layers: z.number().int().min(0).nullable().optional(),
  temperatures: z.object({ nozzle: celsius, nozzle_target: celsius, bed: celsius, bed_target: celsius, chamber: celsius }).optional(),
  error_code: z
    .union([z.string().max(100), z.number()])
    .nullable()
    .optional(),
  error_message: text(500).nullable().optional(),
});

export const FILE_STAGES = ['downloading', 'uploading', 'complete', 'failed'] as const;
export const fileProgress = z.object({
  printer_id: id,
  job_id: id,
  stage: z.enum(FILE_STAGES),
  progress_percentage: percentage,
  error: text(500).nullable().optional(),
});

export const commandAck = z.object({
  command_id: id,
  success: z.boolean(),
  error: text(500).nullable().optional(),
  /** (ours) For configure_printer: the hub's own id for the printer, so publishing it again is idempotent. */
  local_id: text(100).optional(),
});

export const printerDiscovered = z.object({
  printers: z
    .array(
      z.object({
        serial_number: text(100).optional(),
        ip_address: text(100),
        model: text(100).optional(),
        name: text(100).optional(),
        kind: text(50),
      }),
    )
    .max(1000),
});

/** The statuses a hub may report a job into: everything from the upload on. */
export const JOB_EVENT_STATUSES = ['uploaded', 'printing', 'paused', 'completed', 'failed', 'cancelled'] as const;
export const jobEvent = z.object({
  event_id: z.uuid(),
  job_id: id,
  printer_id: id,
  status: z.enum(JOB_EVENT_STATUSES),
  at: isoInstant,
  actual_print_time_minutes: z.number().min(0).nullable().optional(),
  failure_reason: text(500).nullable().optional(),
});

export const jobClaim = z.object({ job_id: id, printer_id: id });

export const HUB_MESSAGE_SCHEMAS = {
  printer_status: printerStatus,
  file_progress: fileProgress,
  command_ack: commandAck,
  printer_discovered: printerDiscovered,
  job_event: jobEvent,
  job_claim: jobClaim,
} as const;
export type HubMessageType = keyof typeof HUB_MESSAGE_SCHEMAS | 'hub_hello';

export type HubHello = z.output<typeof hubHello>;
export type PrinterStatusMessage = z.output<typeof printerStatus>;
export type FileProgressMessage = z.output<typeof fileProgress>;
export type CommandAckMessage = z.output<typeof commandAck>;
export type PrinterDiscoveredMessage = z.output<typeof printerDiscovered>;
export type JobEventMessage = z.output<typeof jobEvent>;
export type JobClaimMessage = z.output<typeof jobClaim>;

// ---- cloud → hub ----

export const PRINTER_COMMAND_ACTIONS = ['pause', 'resume', 'stop', 'clear_bed', 'light_on', 'light_off'] as const;
export type PrinterCommandAction = (typeof PRINTER_COMMAND_ACTIONS)[number];

export interface JobOfferRequirements {
  printer_model?: string;
  nozzle?: number;
  material?: string;
  /** Ours: a #RRGGBB code or a colour name. */
  color?: string;
  /** Ours: the grams of filament the job's file uses. */
  filament_grams?: number;
}

export type CloudMessage =
  | { type: 'hub_welcome'; hub_id: string; hub_name: string; organization: string; server_time: string }
  | {
      type: 'print_command';
      command_id: string;
      printer_id: string;
      job_id: string;
      action: 'start';
      file_url: string;
      file_name: string;
      file_sha256?: string;
      file_size?: number;
      /** (ours) the job's priority, 0–255, so the hub queues it at the matching local priority. */
      priority?: number;
    }
  | { type: 'printer_command'; command_id: string; printer_id: string; action: PrinterCommandAction }
  | { type: 'discover_printers'; command_id: string }
  | { type: 'hub_config'; command_id: string; hub_name?: string }
  | {
      type: 'configure_printer';
      command_id: string;
      action: 'add' | 'remove' | 'update';
      // serial_number is optional here (ours): only a Bambu printer has one the hub needs.
      printer: { id: string; serial_number?: string; access_code?: string; ip_address?: string; connection_type: string; name?: string };
    }
  | {
      type: 'job_offer';
      job_id: string;
      file_name: string;
      requirements: JobOfferRequirements;
      expires_at: string;
      priority: number;
    }
  | { type: 'job_claimed'; job_id: string; printer_id: string }
  | { type: 'job_taken'; job_id: string }
  | { type: 'job_event_ack'; event_id: string; applied: boolean; reason?: string }
  | { type: 'error'; code: string; message: string };

export type CloudMessageOf<T extends CloudMessage['type']> = Extract<CloudMessage, { type: T }>;
