/**
 * A tiny ZIP writer for tests: stored or deflated entries, with switches to build the broken archives a reader
 * must refuse (an encrypted flag, a size in the directory that lies about what the data inflates to).
 */
import { deflateRawSync, deflateSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  data: string | Buffer;
  /** Default: deflate. */
  method?: 'store' | 'deflate';
  /** Sets the "encrypted" flag (the bytes stay as they are: no reader should get as far as decrypting them). */
  encrypted?: boolean;
  /** The uncompressed size written to the headers instead of the real one (a zip bomb's lie). */
  declaredSize?: number;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function buildZip(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const method = e.method === 'store' ? 0 : 8;
    const body = method === 8 ? deflateRawSync(raw) : raw;
    const name = Buffer.from(e.name, 'utf8');
    const flags = (e.encrypted ? 1 : 0) | 0x800;
    const crc = crc32(raw);
    const size = e.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A real, decodable PNG of one colour (browsers show it; image-size readers read its IHDR). */
export function fakePng(width: number, height: number, rgb: [number, number, number] = [0x2f, 0x6f, 0xd6]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export interface SampleThreeMfOptions {
  /** Plate number → its G-code; default one plate. */
  plates: Record<number, string>;
  /** Written as Metadata/slice_info.config unless null. */
  sliceInfo?: string | null;
  projectSettings?: string | null;
  application?: string;
  /** Extra or replacement entries. */
  extra?: ZipEntrySpec[];
}

/** The slice_info.config Bambu Studio writes for one plate (the fields the app reads, in the slicer's layout). */
export function sliceInfoXml(
  plates: { index: number; prediction: number; weight: number; model?: string; nozzle?: string; filaments: { type: string; m: number; g: number }[]; warning?: string }[],
): string {
  const body = plates
    .map(
      (p) => `  <plate>
    <metadata key="index" value="${p.index}"/>
    <metadata key="extruder_type" value="0"/>
    <metadata key="printer_model_id" value="${p.model ?? 'C12'}"/>
    <metadata key="nozzle_diameters" value="${p.nozzle ?? '0.4'}"/>
    <metadata key="timelapse_type" value="0"/>
    <metadata key="prediction" value="${p.prediction}"/>
    <metadata key="weight" value="${p.weight.toFixed(2)}"/>
    <metadata key="outside" value="false"/>
    <object identify_id="75" name="Cube &amp; co" skipped="false" />
${p.filaments.map((f, i) => `    <filament id="${i + 1}" tray_info_idx="GFA00" type="${f.type}" color="#FFFFFF" used_m="${f.m.toFixed(2)}" used_g="${f.g.toFixed(2)}" />`).join('\n')}
${p.warning ? `    <warning msg="${p.warning}" level="1" error_code ="1000C001"  />` : ''}
  </plate>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<config>
  <header>
    <header_item key="X-BBL-Client-Type" value="slicer"/>
    <header_item key="X-BBL-Client-Version" value="01.09.01.67"/>
  </header>
${body}
</config>
`;
}

export function sampleThreeMf(o: SampleThreeMfOptions): Buffer {
  const entries: ZipEntrySpec[] = [
    { name: '[Content_Types].xml', data: '<?xml version="1.0" encoding="UTF-8"?><Types/>' },
    {
      name: '3D/3dmodel.model',
      data: `<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter">\n <metadata name="Application">${o.application ?? 'BambuStudio-01.09.01.67'}</metadata>\n <resources/>\n</model>\n`,
    },
  ];
  for (const [n, gcode] of Object.entries(o.plates)) {
    entries.push({ name: `Metadata/plate_${n}.gcode`, data: gcode });
    entries.push({ name: `Metadata/plate_${n}.png`, data: fakePng(512, 512), method: 'store' });
    entries.push({ name: `Metadata/plate_${n}_small.png`, data: fakePng(128, 128), method: 'store' });
  }
  if (o.sliceInfo !== null) {
    entries.push({
      name: 'Metadata/slice_info.config',
      data: o.sliceInfo ?? sliceInfoXml(Object.keys(o.plates).map((n) => ({ index: Number(n), prediction: 1480, weight: 4.73, filaments: [{ type: 'PLA', m: 1.59, g: 4.73 }] }))),
    });
  }
  if (o.projectSettings !== null) {
    entries.push({
      name: 'Metadata/project_settings.config',
      data:
        o.projectSettings ??
        JSON.stringify(
          {
            name: 'project_settings',
            from: 'project',
            version: '01.09.01.67',
            printer_model: 'Bambu Lab P1S',
            layer_height: '0.2',
            nozzle_diameter: ['0.4'],
            filament_type: ['PLA'],
          },
          null,
          4,
        ),
    });
  }
  const extra = o.extra ?? [];
  const names = new Set(extra.map((e) => e.name));
  return buildZip([...entries.filter((e) => !names.has(e.name)), ...extra]);
}
