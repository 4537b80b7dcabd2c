/** The JSON form `apf analyze --json` prints. The first fields are fixed; ours carry other names. */
import type { GcodeAnalysis, SlicerName } from './types';

export interface AnalyzeJson {
  slicer: { name: string | null; version: string | null };
  /** The slicer's own estimate. */
  estimated_seconds: number | null;
  filament_mm: number | null;
  filament_g: number | null;
  layer_height: number | null;
  nozzle: number | null;
  printer_model: string | null;
  /** The slicer's layer count when it states one, else ours. */
  layers: number | null;
  lines: number;
  thumbnails: { w: number; h: number; format: string }[];
  our_estimated_seconds: number;
  our_estimate: {
    motion_seconds: number;
    dwell_seconds: number;
    heater_waits: number;
    default_acceleration_mm_s2: number;
    /** What our_estimated_seconds counts, to compare like with like. */
    counts: 'motion and dwells';
  };
  /** What the slicer's estimated_seconds counts, where we know it (null: not known). */
  slicer_estimate_counts: 'motion and dwells' | 'motion, dwells and heating' | null;
  our_layers: number | null;
  our_filament_mm: number;
  material: string | null;
  bbox: { min: [number, number, number]; max: [number, number, number] } | null;
  size_bytes: number;
  /** For a .gcode.3mf: its sliced plates (the first is the one analysed and printed); absent for plain G-code. */
  plates?: { index: number; gcode: string; estimated_seconds: number | null; weight_g: number | null; printer_model_id: string | null }[];
  warnings: string[];
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * What each slicer's stated time includes, where the real files show it: KISSlicer's "Calculated-during-export
 * Build Time" includes heating (its "pre-cool" figure is separate); the Slic3r family's "normal mode" time and
 * Cura's, Simplify3D's and ideaMaker's match our motion-and-dwell figure within a few percent on the real files.
 */
const SLICER_ESTIMATE_COUNTS: Partial<Record<SlicerName, AnalyzeJson['slicer_estimate_counts']>> = {
  KISSlicer: 'motion, dwells and heating',
  PrusaSlicer: 'motion and dwells',
  SuperSlicer: 'motion and dwells',
  OrcaSlicer: 'motion and dwells',
  Cura: 'motion and dwells',
  Simplify3D: 'motion and dwells',
  ideaMaker: 'motion and dwells',
};

export function toAnalyzeJson(a: GcodeAnalysis): AnalyzeJson {
  const m = a.metadata;
  return {
    slicer: { name: m.slicer?.name ?? null, version: m.slicer?.version ?? null },
    estimated_seconds: m.estimatedSeconds,
    filament_mm: m.filamentMm === null ? null : round(m.filamentMm, 2),
    filament_g: m.filamentG === null ? null : round(m.filamentG, 2),
    layer_height: m.layerHeight,
    nozzle: m.nozzleDiameter,
    printer_model: m.printerModel,
    layers: m.layerCount ?? a.layers,
    lines: a.lines,
    thumbnails: m.thumbnails.map((t) => ({ w: t.width, h: t.height, format: t.format })),
    our_estimated_seconds: Math.round(a.estimate.totalSeconds),
    our_estimate: {
      motion_seconds: round(a.estimate.motionSeconds, 1),
      dwell_seconds: round(a.estimate.dwellSeconds, 1),
      heater_waits: a.estimate.heaterWaits,
      default_acceleration_mm_s2: a.estimate.accelerationMmS2,
      counts: 'motion and dwells',
    },
    slicer_estimate_counts: m.slicer ? (SLICER_ESTIMATE_COUNTS[m.slicer.name] ?? null) : null,
    our_layers: a.layers,
    our_filament_mm: round(a.extrudedMm, 2),
    material: m.material,
    bbox: a.bbox && {
      min: [round(a.bbox.min.x, 3), round(a.bbox.min.y, 3), round(a.bbox.min.z, 3)],
      max: [round(a.bbox.max.x, 3), round(a.bbox.max.y, 3), round(a.bbox.max.z, 3)],
    },
    size_bytes: m.sizeBytes,
    ...(m.container && {
      plates: m.container.plates.map((p) => ({
        index: p.index,
        gcode: p.gcodeEntry,
        estimated_seconds: p.estimatedSeconds,
        weight_g: p.weightG,
        printer_model_id: p.printerModelId,
      })),
    }),
    warnings: a.warnings,
  };
}
