import type { ReportedPhase } from '../lan-common/lan-driver';

/** The fields of a Bambu `print` report this app reads; P1/A1 send deltas, so reports are merged. */
export interface BambuPrint {
  gcode_state?: string;
  mc_percent?: number;
  mc_remaining_time?: number;
  nozzle_temper?: number;
  nozzle_target_temper?: number;
  bed_temper?: number;
  bed_target_temper?: number;
  subtask_name?: string;
  gcode_file?: string;
  print_error?: number;
  layer_num?: number;
  total_layer_num?: number;
  /** From `lights_report` (`[{node: 'chamber_light', mode: 'on' | 'off' | 'flashing'}]`); flashing counts as on. */
  chamber_light?: 'on' | 'off';
}

const FIELDS: readonly (keyof BambuPrint)[] = [
  'gcode_state',
  'mc_percent',
  'mc_remaining_time',
  'nozzle_temper',
  'nozzle_target_temper',
  'bed_temper',
  'bed_target_temper',
  'subtask_name',
  'gcode_file',
  'print_error',
  'layer_num',
  'total_layer_num',
];

/** Copies only known fields (reports also carry AMS, HMS…), so the kept state stays small. */
export function mergeReport(into: BambuPrint, print: unknown): void {
  if (!print || typeof print !== 'object') return;
  const src = print as Record<string, unknown>;
  for (const f of FIELDS) {
    const v = src[f];
    if (typeof v === 'number' || typeof v === 'string') (into as Record<string, unknown>)[f] = v;
  }
  const chamber = Array.isArray(src.lights_report) ? (src.lights_report as unknown[]).find((l) => (l as { node?: unknown })?.node === 'chamber_light') : undefined;
  const mode = (chamber as { mode?: unknown } | undefined)?.mode;
  if (mode === 'on' || mode === 'flashing') into.chamber_light = 'on';
  else if (mode === 'off') into.chamber_light = 'off';
}

/** `gcode_state` in common terms; after a stop the app asked for, a failed or idle printer means cancelled. */
export function bambuPhase(r: BambuPrint, stopRequested: boolean): ReportedPhase {
  switch (r.gcode_state) {
    case 'RUNNING':
    case 'PREPARE':
    case 'SLICING':
      return { kind: 'printing' };
    case 'PAUSE':
      return { kind: 'paused' };
    case 'FINISH':
      return { kind: 'idle', ended: { kind: 'completed' } };
    case 'FAILED':
      return { kind: 'idle', ended: stopRequested ? { kind: 'cancelled' } : { kind: 'failed', reason: `The printer stopped the print (error ${r.print_error ?? 'unknown'}).` } };
    default:
      return stopRequested ? { kind: 'idle', ended: { kind: 'cancelled' } } : { kind: 'idle' };
  }
}

/** Start a print: a sliced `.gcode.3mf` through project_file (from the AMS tray given, if any), plain G-code through gcode_file. */
export function startCommand(fileName: string, sequenceId: string, plate = 'Metadata/plate_1.gcode', amsTray: number | null = null): Record<string, unknown> {
  if (/\.3mf$/i.test(fileName)) {
    return {
      print: {
        sequence_id: sequenceId,
        command: 'project_file',
        param: plate,
        url: `ftp:///${fileName}`,
        subtask_name: fileName.replace(/\.gcode\.3mf$|\.3mf$/i, ''),
        md5: '',
        timelapse: false,
        bed_leveling: true,
        flow_cali: false,
        vibration_cali: true,
        layer_inspect: false,
        // The external holder, or the AMS tray the queue chose by the spool confirmed in it (single-colour prints).
        use_ams: amsTray !== null,
        ams_mapping: [amsTray ?? 0],
        profile_id: '0',
        project_id: '0',
        subtask_id: '0',
        task_id: '0',
      },
    };
  }
  return { print: { sequence_id: sequenceId, command: 'gcode_file', param: `/sdcard/${fileName}` } };
}

/** The printer's "layer n of m" (`layer_num` counts from 1 once printing; 0 while it prepares). */
export function bambuLayer(r: BambuPrint): { current: number; total: number | null } | undefined {
  if (typeof r.layer_num !== 'number' || r.layer_num <= 0) return undefined;
  return { current: r.layer_num, total: typeof r.total_layer_num === 'number' && r.total_layer_num > 0 ? r.total_layer_num : null };
}
