import type { PrinterStatus } from '../contract/printer-model';

/** The cloud's words for a printer's state (cloud-hub.md `printer_status`). */
export type CloudPrinterStatus = 'idle' | 'printing' | 'paused' | 'offline' | 'error';

/** `printer_status` as the hub sends it, for the cloud's printer id. Never carries a key or a code. */
export interface PrinterStatusMessage {
  type: 'printer_status';
  printer_id: string;
  status: CloudPrinterStatus;
  is_connected: boolean;
  progress_percentage: number | null;
  remaining_time_seconds: number | null;
  current_layer: number | null;
  total_layers: number | null;
  temperatures: { nozzle: number | null; nozzle_target: number | null; bed: number | null; bed_target: number | null; chamber: number | null };
  error_message?: string;
}

export function cloudStatusOf(status: PrinterStatus): CloudPrinterStatus {
  switch (status.state.kind) {
    case 'printing':
      return 'printing';
    case 'paused':
      return 'paused';
    case 'error':
      return 'error';
    case 'offline':
    case 'connecting':
      return 'offline';
    case 'idle':
    case 'busy':
      return 'idle';
  }
}

export function printerStatusMessage(cloudPrinterId: string, status: PrinterStatus): PrinterStatusMessage {
  const state = status.state;
  const job = state.kind === 'printing' || state.kind === 'paused' ? state.job : null;
  const { hotend, bed } = status.temperatures;
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    type: 'printer_status',
    printer_id: cloudPrinterId,
    status: cloudStatusOf(status),
    is_connected: state.kind !== 'offline' && state.kind !== 'connecting',
    progress_percentage: job ? Math.round(job.fraction * 1000) / 10 : null,
    remaining_time_seconds: job?.remainingSeconds ?? null,
    current_layer: null,
    total_layers: null,
    temperatures: {
      nozzle: hotend ? round1(hotend.actual) : null,
      nozzle_target: hotend ? hotend.target : null,
      bed: bed ? round1(bed.actual) : null,
      bed_target: bed ? bed.target : null,
      chamber: null,
    },
    ...(state.kind === 'error' ? { error_message: state.message } : state.kind === 'offline' && state.reason ? { error_message: state.reason } : {}),
  };
}
