/** `apf analyze FILE [--json]`: what the slicer says about a G-code file, and what we measure ourselves. */
import { AppError } from '../../core/errors';
import { analyzeGcodeFile, formatDuration, toAnalyzeJson, type GcodeAnalysis } from '../../core/gcode/index';
import { parseArgs, UsageError } from '../args';

export const ANALYZE_USAGE = `Usage: apf analyze FILE [--json]
  Reads a G-code file (text, Prusa binary .bgcode, or a Bambu Studio / OrcaSlicer .gcode.3mf: its first sliced plate) and reports the slicer's figures (time, filament, layers, nozzle, printer, thumbnails)
  next to our own (layers, extents, a kinematic time estimate).
  --json   print one JSON object instead of the summary`;

export async function analyzeCommand(args: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  let path: string;
  let json: boolean;
  try {
    const parsed = parseArgs(args, { json: 'boolean', help: 'boolean' });
    if (parsed.values.help) {
      io.stdout(ANALYZE_USAGE);
      return 0;
    }
    if (parsed.positionals.length !== 1) {
      throw new UsageError(parsed.positionals.length === 0 ? 'Name the G-code file to analyze.' : 'Give one file at a time.');
    }
    path = parsed.positionals[0]!;
    json = parsed.values.json === true;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`apf analyze: ${err.message}\n\n${ANALYZE_USAGE}`);
      return 2;
    }
    throw err;
  }
  let analysis: GcodeAnalysis;
  try {
    analysis = await analyzeGcodeFile(path);
  } catch (err) {
    if (err instanceof AppError) {
      io.stderr(`apf analyze: ${err.message}`);
      return 1;
    }
    throw err;
  }
  io.stdout(json ? JSON.stringify(toAnalyzeJson(analysis), null, 2) : summary(path, analysis));
  return 0;
}

const mm = (n: number, digits = 1) => `${n.toFixed(digits)} mm`;

function summary(path: string, a: GcodeAnalysis): string {
  const m = a.metadata;
  const rows: [string, string][] = [];
  const slicer = m.slicer ? `${m.slicer.name}${m.slicer.version ? ` ${m.slicer.version}` : ''}` : 'unknown slicer';
  const ours = `${formatDuration(a.estimate.totalSeconds)} (our estimate${a.estimate.heaterWaits ? `, plus ${a.estimate.heaterWaits} heater wait${a.estimate.heaterWaits > 1 ? 's' : ''}` : ''})`;
  rows.push(['Print time', m.estimatedSeconds !== null ? `${formatDuration(m.estimatedSeconds)} (slicer) · ${ours}` : ours]);
  const filament = [
    m.filamentMm !== null ? `${(m.filamentMm / 1000).toFixed(2)} m` : `${(a.extrudedMm / 1000).toFixed(2)} m (measured)`,
    m.filamentG !== null ? `${m.filamentG.toFixed(1)} g` : null,
    m.material,
  ].filter(Boolean);
  rows.push(['Filament', filament.join(' · ')]);
  const layers = m.layerCount ?? a.layers;
  rows.push(['Layers', [layers !== null ? String(layers) : 'unknown', m.layerHeight !== null ? `${m.layerHeight} mm each` : null].filter(Boolean).join(' · ')]);
  if (m.nozzleDiameter !== null) rows.push(['Nozzle', mm(m.nozzleDiameter, 2)]);
  if (m.printerModel) rows.push(['Printer', m.printerModel]);
  if (m.container) {
    const plates = m.container.plates;
    rows.push(['Plates', `${plates.map((p) => p.index).join(', ')} sliced · plate ${plates[0]!.index} (${plates[0]!.gcodeEntry}) analysed, the one a Bambu printer prints`]);
  }
  if (a.bbox) {
    const { min, max } = a.bbox;
    rows.push(['Extents', `X ${min.x.toFixed(1)}–${max.x.toFixed(1)} · Y ${min.y.toFixed(1)}–${max.y.toFixed(1)} · Z ${min.z.toFixed(2)}–${max.z.toFixed(2)} mm`]);
  }
  rows.push(['Lines', a.lines.toLocaleString('en-US')]);
  if (m.thumbnails.length) rows.push(['Thumbnails', m.thumbnails.map((t) => `${t.width}x${t.height} ${t.format}`).join(', ')]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const lines = [`${path} — ${slicer}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}${v}`)];
  for (const w of a.warnings) lines.push(`  Warning: ${w}`);
  return lines.join('\n');
}
