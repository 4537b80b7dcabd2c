/**
 * Bambu Studio / OrcaSlicer `.gcode.3mf` files: a ZIP holding the sliced G-code of each plate
 * (`Metadata/plate_N.gcode`), the slicer's own figures per plate (`Metadata/slice_info.config`), the whole
 * configuration (`Metadata/project_settings.config`) and plate previews (`Metadata/plate_N.png`,
 * `plate_N_small.png`). A Bambu printer is told to print the first sliced plate, so the figures reported here are
 * that plate's. Each figure comes from the most specific source that states it: slice_info, then the project
 * settings, then the plate G-code's own header.
 */
import { basename } from 'node:path';
import { AppError } from '../errors';
import { analyzeGcodeStream } from './text-analysis';
import { applicationFromModel, parseProjectSettings, parseSliceInfo, type ProjectSettings, type SliceInfo } from './bambu-project-files';
import { CommentIndex, firstColour } from './comment-index';
import { fileSize, readFileHead } from './file-access';
import { readImageHeader } from './image-header';
import { HEAD_BYTES } from './limits';
import { detectSlicer, EMPTY_STATEMENT } from './slicers/index';
import type { AnalyzeOptions, GcodeAnalysis, GcodeMetadata, GcodeThumbnail, SlicerInfo, SlicerStatement, ThreeMfPlate } from './types';
import { isZipHead, ZipArchive } from './zip-archive';

/** Real slice_info files are a few KB; project settings a few hundred KB; plate previews well under 1 MB. */
const MAX_SLICE_INFO_BYTES = 4 * 1024 * 1024;
const MAX_PROJECT_SETTINGS_BYTES = 16 * 1024 * 1024;
const MAX_THUMBNAIL_BYTES = 8 * 1024 * 1024;
/** The Application metadata sits in the first lines of the model, ahead of any mesh. */
const MODEL_HEAD_BYTES = 16 * 1024;

const PLATE_GCODE = /^Metadata\/plate_(\d+)\.gcode$/;
export const NOT_SLICED_HINT = "Slice the plate in Bambu Studio (or OrcaSlicer) and export it with 'Export plate sliced file' (a .gcode.3mf).";

/** Whether the file at `path` starts like a ZIP archive (so it is read as a 3MF rather than as G-code text). */
export async function isZipFile(path: string): Promise<boolean> {
  return isZipHead(await readFileHead(path, 4));
}

/** The sliced plates' G-code entries, lowest plate number first. */
export function slicedPlateEntries(names: Iterable<string>): { index: number; name: string }[] {
  const out: { index: number; name: string }[] = [];
  for (const name of names) {
    const m = PLATE_GCODE.exec(name);
    if (m) out.push({ index: Number(m[1]), name });
  }
  return out.sort((a, b) => a.index - b.index);
}

interface Inspection {
  /** Everything but what the plate G-code itself says. */
  own: GcodeMetadata;
  plateEntry: string;
  plateBytes: number;
}

/** Reads the 3MF's own files; the plate G-code is left to the caller (its head for metadata, all of it for analysis). */
async function inspect(archive: ZipArchive, sizeBytes: number): Promise<Inspection> {
  const names = [...archive.entries.keys()];
  const plates = slicedPlateEntries(names);
  if (!plates.length) {
    const is3mf = names.some((n) => n.startsWith('3D/') || n.startsWith('Metadata/'));
    throw new AppError(
      'invalid_input',
      is3mf
        ? `${archive.label} is a 3MF project without sliced G-code (no Metadata/plate_N.gcode inside), so no printer can print it. ${NOT_SLICED_HINT}`
        : `${archive.label} is a ZIP archive but not a 3MF print file (no Metadata/plate_N.gcode inside). ${NOT_SLICED_HINT}`,
    );
  }
  const has = (n: string) => archive.entries.has(n);
  const sliceInfo: SliceInfo = has('Metadata/slice_info.config')
    ? parseSliceInfo((await archive.read('Metadata/slice_info.config', MAX_SLICE_INFO_BYTES)).toString('utf8'))
    : { clientVersion: null, plates: [] };
  const project: ProjectSettings | null = has('Metadata/project_settings.config')
    ? parseProjectSettings((await archive.read('Metadata/project_settings.config', MAX_PROJECT_SETTINGS_BYTES)).toString('utf8'))
    : null;
  const application = has('3D/3dmodel.model') ? applicationFromModel((await archive.readHead('3D/3dmodel.model', MODEL_HEAD_BYTES)).toString('utf8')) : null;

  const platesOut: ThreeMfPlate[] = plates.map(({ index, name }) => {
    const info = sliceInfo.plates.find((p) => p.index === index);
    return {
      index,
      gcodeEntry: name,
      gcodeBytes: archive.entries.get(name)!.uncompressedSize,
      estimatedSeconds: info?.predictionSeconds ?? null,
      weightG: info?.weightG ?? null,
      filaments: info?.filaments ?? [],
      nozzleDiameter: info?.nozzleDiameter ?? null,
      printerModelId: info?.printerModelId ?? null,
    };
  });
  const printed = platesOut[0]!;
  const info = sliceInfo.plates.find((p) => p.index === printed.index);

  const thumbnails: GcodeThumbnail[] = [];
  for (const name of [`Metadata/plate_${printed.index}.png`, `Metadata/plate_${printed.index}_small.png`]) {
    if (!has(name)) continue;
    const thumb = toThumbnail(await archive.read(name, MAX_THUMBNAIL_BYTES));
    if (thumb) thumbnails.push(thumb);
  }

  const warnings: string[] = [];
  if (platesOut.length > 1) {
    warnings.push(
      `This file holds ${platesOut.length} sliced plates (${platesOut.map((p) => p.index).join(', ')}); a Bambu printer prints plate ${printed.index}, and the figures shown are that plate's. Export each plate as its own file to print the others.`,
    );
  }
  if (info?.outside) warnings.push('Bambu Studio reported that part of this plate lies outside the printable area. Check the plate before printing.');
  for (const w of info?.warnings ?? []) warnings.push(`The slicer warned: ${w}`);

  const filaments = printed.filaments;
  const sumOf = (vals: (number | null)[]) => (vals.length && vals.every((v) => v !== null) ? vals.reduce((a, b) => a + b, 0) : null);
  const usedM = sumOf(filaments.map((f) => f.usedM));
  const types = [...new Set(filaments.map((f) => f.type).filter((t): t is string => !!t))];
  const projectTypes = [...new Set(project?.filamentTypes ?? [])];
  const slicer: SlicerInfo | null =
    application ?? (sliceInfo.clientVersion || project?.version ? { name: 'BambuStudio', version: sliceInfo.clientVersion ?? project?.version ?? null } : null);

  const own: GcodeMetadata = {
    sizeBytes,
    slicer,
    estimatedSeconds: printed.estimatedSeconds,
    filamentMm: usedM === null ? null : Math.round(usedM * 1000 * 100) / 100,
    filamentG: printed.weightG ?? sumOf(filaments.map((f) => f.usedG)),
    layerHeight: project?.layerHeight ?? null,
    nozzleDiameter: printed.nozzleDiameter ?? project?.nozzleDiameter ?? null,
    printerModel: project?.printerModel ?? null,
    material: types.length ? types.join(', ') : projectTypes.length === 1 ? projectTypes[0]! : null,
    colour: firstColour(filaments[0]?.color ?? undefined),
    layerCount: null,
    container: { kind: 'gcode.3mf', plates: platesOut },
    thumbnails,
    footerFound: null,
    warnings,
  };
  return { own, plateEntry: printed.gcodeEntry, plateBytes: printed.gcodeBytes };
}

function toThumbnail(bytes: Buffer): GcodeThumbnail | null {
  const header = readImageHeader(bytes);
  if (!header) return null;
  return {
    width: header.width,
    height: header.height,
    format: header.format,
    decoded: { width: header.width, height: header.height },
    base64: bytes.toString('base64'),
    byteLength: bytes.length,
  };
}

/** What the plate G-code says, from the 3MF's view: its slicer, its statement, its own thumbnails and warnings. */
type GcodeSide = Pick<GcodeMetadata, 'slicer' | 'thumbnails' | 'warnings' | 'footerFound'> & SlicerStatement;

function fromGcodeHead(head: Buffer): GcodeSide {
  let text = head.toString('utf8');
  const nl = text.lastIndexOf('\n');
  if (nl !== -1) text = text.slice(0, nl + 1);
  const detected = detectSlicer(text);
  const statement = detected ? detected.reader.read({ head: text, tail: '', index: new CommentIndex([text]) }, detected.slicer) : EMPTY_STATEMENT;
  return { ...statement, slicer: detected?.slicer ?? null, thumbnails: [], warnings: [], footerFound: null };
}

/** The 3MF's figures first; the G-code fills what they leave out. */
function combine(own: GcodeMetadata, gcode: GcodeSide): GcodeMetadata {
  const pick = <K extends keyof SlicerStatement>(k: K): SlicerStatement[K] => own[k] ?? gcode[k];
  return {
    ...own,
    // The G-code header names the program that actually sliced it; the model's Application may be an older save.
    slicer: gcode.slicer ?? own.slicer,
    estimatedSeconds: pick('estimatedSeconds'),
    filamentMm: pick('filamentMm'),
    filamentG: pick('filamentG'),
    layerHeight: pick('layerHeight'),
    nozzleDiameter: pick('nozzleDiameter'),
    // Bambu's model code ("C12") is the last resort: a name such as "Bambu Lab P1S" is what users type in profiles.
    printerModel: own.printerModel ?? gcode.printerModel ?? own.container?.plates[0]?.printerModelId ?? null,
    material: pick('material'),
    colour: pick('colour'),
    layerCount: pick('layerCount'),
    thumbnails: [...own.thumbnails, ...gcode.thumbnails],
    footerFound: gcode.footerFound,
    warnings: [...own.warnings, ...gcode.warnings],
  };
}

/** The metadata of a `.gcode.3mf` without inflating its G-code beyond the header. */
export async function readThreeMfMetadata(path: string, label = basename(path)): Promise<GcodeMetadata> {
  const size = await fileSize(path);
  const archive = await ZipArchive.open(path, label);
  try {
    const { own, plateEntry } = await inspect(archive, size);
    const head = await archive.readHead(plateEntry, HEAD_BYTES);
    if (head.length === 0) throw new AppError('invalid_input', `${label}: ${plateEntry} is empty. ${NOT_SLICED_HINT}`);
    return combine(own, fromGcodeHead(head));
  } finally {
    archive.close();
  }
}

/** The full analysis of a `.gcode.3mf`: its first plate's G-code is inflated as a stream and scanned like any file. */
export async function analyzeThreeMfFile(path: string, opts: AnalyzeOptions = {}, label = basename(path)): Promise<GcodeAnalysis> {
  const size = await fileSize(path);
  const archive = await ZipArchive.open(path, label);
  try {
    const { own, plateEntry, plateBytes } = await inspect(archive, size);
    const analysis = await analyzeGcodeStream(archive.chunks(plateEntry), { ...opts, totalBytes: plateBytes });
    const metadata = combine(own, analysis.metadata);
    return { ...analysis, metadata, warnings: [...own.warnings, ...analysis.warnings] };
  } finally {
    archive.close();
  }
}
