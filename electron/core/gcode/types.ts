/** Shapes the G-code analyzer returns. Slicer-stated figures and our own figures are kept apart on purpose. */

export const SLICER_NAMES = [
  'PrusaSlicer',
  'SuperSlicer',
  'Slic3r',
  'OrcaSlicer',
  'BambuStudio',
  'Cura',
  'Simplify3D',
  'ideaMaker',
  'KISSlicer',
  'Kiri:Moto',
  'Creality Print',
  'IceSL',
] as const;
export type SlicerName = (typeof SLICER_NAMES)[number];

export interface SlicerInfo {
  name: SlicerName;
  version: string | null;
}

export type ThumbnailFormat = 'png' | 'jpg' | 'qoi';

export interface GcodeThumbnail {
  /** Size announced by the `thumbnail begin WxH LEN` line. */
  width: number;
  height: number;
  /** Read from the image bytes (magic number first, block name second). */
  format: ThumbnailFormat;
  /** Size read from the image's own header; null when the bytes are not a readable PNG/JPEG/QOI. */
  decoded: { width: number; height: number } | null;
  /** The image, base64 as embedded in the file (whitespace and comment marks removed). */
  base64: string;
  byteLength: number;
}

/** What the file itself states (null when it does not say). */
export interface SlicerStatement {
  estimatedSeconds: number | null;
  filamentMm: number | null;
  filamentG: number | null;
  layerHeight: number | null;
  nozzleDiameter: number | null;
  printerModel: string | null;
  material: string | null;
  /** The first extruder's filament colour as `#RRGGBB` (slicers that state `filament_colour`, else `extruder_colour`). */
  colour: string | null;
  layerCount: number | null;
}

/** One sliced plate of a Bambu Studio / OrcaSlicer `.gcode.3mf`, as `Metadata/slice_info.config` states it. */
export interface ThreeMfPlate {
  index: number;
  /** The G-code inside the zip, e.g. `Metadata/plate_1.gcode`. */
  gcodeEntry: string;
  gcodeBytes: number;
  estimatedSeconds: number | null;
  weightG: number | null;
  filaments: { type: string | null; color: string | null; usedM: number | null; usedG: number | null }[];
  nozzleDiameter: number | null;
  /** Bambu's internal model code (e.g. "C12"), not the marketing name. */
  printerModelId: string | null;
}

/** Where the G-code came from when it is not a plain text file. */
export interface ThreeMfContainer {
  kind: 'gcode.3mf';
  /** Sliced plates, lowest number first; the first is the one a Bambu printer is told to print. */
  plates: ThreeMfPlate[];
}

/** Set for a binary G-code file (.bgcode): how its G-code is stored and what it decodes to. */
export interface BgcodeInfo {
  /** How the first G-code block is stored, e.g. "heatshrink 12/4, MeatPack with comments". */
  gcodeStorage: string;
  /** Bytes of the G-code text it decodes to; known after the full analysis, null from the metadata read. */
  textBytes: number | null;
}

export interface GcodeMetadata extends SlicerStatement {
  /** The file's own size (for a .bgcode the binary file, not the text it decodes to). */
  sizeBytes: number;
  /** Set for binary G-code (.bgcode): the figures come from its metadata blocks. */
  bgcode?: BgcodeInfo;
  /** Set for a Bambu `.gcode.3mf`: the figures describe its first sliced plate. */
  container?: ThreeMfContainer;
  slicer: SlicerInfo | null;
  thumbnails: GcodeThumbnail[];
  /** Whether the slicer's end-of-file summary is present; null when the slicer is unknown or writes none. */
  footerFound: boolean | null;
  warnings: string[];
}

export interface Point3 {
  x: number;
  y: number;
  z: number;
}

export interface BoundingBox {
  min: Point3;
  max: Point3;
}

export interface OurTimeEstimate {
  /** motionSeconds + dwellSeconds. Heater waits are not timed: they depend on the printer and the room. */
  totalSeconds: number;
  motionSeconds: number;
  dwellSeconds: number;
  /** M109/M190/M191 commands seen (each waits for a heater an unknown time). */
  heaterWaits: number;
  accelerationMmS2: number;
}

export interface GcodeAnalysis {
  metadata: GcodeMetadata;
  /** Text lines in the file (a last line without a newline counts). */
  lines: number;
  /** Layers we counted: the slicer's layer-change comments when present, else changes of extrusion height. */
  layers: number | null;
  /** Box around every extruding move (travel moves excluded); null when nothing extrudes. */
  bbox: BoundingBox | null;
  /** Net filament pushed by the extruder (retractions cancel their primes), in mm. */
  extrudedMm: number;
  moves: number;
  /** Whether the file switches any heater on (a pen plotter's or a pre-heated printer's file does not). */
  heats: boolean;
  estimate: OurTimeEstimate;
  /** Metadata warnings plus what the full pass noticed. */
  warnings: string[];
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  /** Called after every chunk with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Files above this size are refused (default 2 GiB). */
  maxBytes?: number;
  /** Acceleration our estimate uses until the file sets one with M204 (default 1500 mm/s²). */
  accelerationMmS2?: number;
  /** Bytes per read; bigger is faster, smaller yields to the event loop more often (default 1 MiB). */
  chunkBytes?: number;
}
