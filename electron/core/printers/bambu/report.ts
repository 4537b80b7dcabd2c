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

/** Copies only known fields (reports also carry AMS, HMS, lights…), so the kept state stays small. */
export function mergeReport(into: BambuPrint, print: unknown): void {
  if (!print || typeof print !== 'object') return;
  const src = print as Record<string, unknown>;
  for (const f of FIELDS) {
    const v = src[f];
    if (typeof v === 'number' || typeof v === 'string') (into as Record<string, unknown>)[f] = v;
  }
}

/** Start a print: a sliced `.gcode.3mf` through project_file, plain G-code through gcode_file. */
export function startCommand(fileName: string, sequenceId: string, plate = 'Metadata/plate_1.gcode'): Record<string, unknown> {
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
        use_ams: false,
        ams_mapping: [0],
        profile_id: '0',
        project_id: '0',
        subtask_id: '0',
        task_id: '0',
      },
    };
  }
  return { print: { sequence_id: sequenceId, command: 'gcode_file', param: `/sdcard/${fileName}` } };
}
