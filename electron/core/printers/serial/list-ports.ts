import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';

export interface SerialPortEntry {
  /** What to open: a stable /dev/serial/by-id link when there is one. */
  path: string;
  /** The device node behind it, e.g. /dev/ttyUSB0. */
  device: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
  /** A short human label for pickers. */
  label: string;
}

export interface SerialPortListing {
  ports: SerialPortEntry[];
  /** `serialport` when the native listing worked, `scan` when /dev was scanned instead. */
  method: 'serialport' | 'scan';
  /** Why the native listing was not used, when it was not. */
  fallbackReason: string | null;
}

interface RawPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  pnpId?: string | undefined;
}

export interface ListDeps {
  /** `SerialPort.list` (injected for tests). */
  nativeList?: () => Promise<RawPortInfo[]>;
  platform?: NodeJS.Platform;
  /** Root to scan; tests point it at a temp folder. */
  devRoot?: string;
}

/** USB serial adapters and native USB boards; built-in UARTs (/dev/ttyS*) are never a printer. */
const USEFUL = /\/(ttyUSB|ttyACM|ttyAMA|cu\.|tty\.usb|serial\/by-id)|^COM\d+$/i;

/**
 * Lists serial ports a printer may be on. Uses serialport's own listing, and when that throws or finds
 * nothing useful (udev missing in containers, broken sysfs) scans /dev/serial/by-id, /dev/ttyUSB*,
 * /dev/ttyACM* (and /dev/cu.* on macOS) instead.
 */
export async function listSerialPorts(deps: ListDeps = {}): Promise<SerialPortListing> {
  const platform = deps.platform ?? process.platform;
  let fallbackReason: string;
  try {
    const list: () => Promise<RawPortInfo[]> =
      deps.nativeList ??
      // serialport's list() is typed, but its types do not resolve through this dynamic import in the lint program.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return
      (async (): Promise<RawPortInfo[]> => (await import('serialport')).SerialPort.list());
    const raw = await list();
    const useful = raw.filter((p) => USEFUL.test(p.path) || p.vendorId);
    if (useful.length) return { ports: useful.map(fromNative), method: 'serialport', fallbackReason: null };
    fallbackReason = raw.length ? 'the system listing found only built-in serial ports' : 'the system listing found no ports';
  } catch (err) {
    fallbackReason = `the system listing failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (platform === 'win32') return { ports: [], method: 'scan', fallbackReason };
  return { ports: await scanDev(deps.devRoot ?? '/dev', platform), method: 'scan', fallbackReason };
}

function fromNative(p: RawPortInfo): SerialPortEntry {
  const manufacturer = p.manufacturer || null;
  return {
    path: p.path,
    device: p.path,
    manufacturer,
    serialNumber: p.serialNumber || null,
    vendorId: p.vendorId || null,
    productId: p.productId || null,
    label: manufacturer ? `${p.path} (${manufacturer})` : p.path,
  };
}

async function scanDev(root: string, platform: NodeJS.Platform): Promise<SerialPortEntry[]> {
  const entries: SerialPortEntry[] = [];
  const seen = new Set<string>();
  // by-id links first: their names survive re-plugging and say what the device is.
  const byId = join(root, 'serial', 'by-id');
  for (const name of await safeReaddir(byId)) {
    const path = join(byId, name);
    const device = await realpath(path).catch(() => path);
    seen.add(device);
    entries.push({ path, device, manufacturer: null, serialNumber: null, vendorId: null, productId: null, label: `${name} (${device})` });
  }
  const patterns = platform === 'darwin' ? [/^cu\./] : [/^ttyUSB\d+$/, /^ttyACM\d+$/];
  for (const name of (await safeReaddir(root)).sort()) {
    if (!patterns.some((re) => re.test(name))) continue;
    const device = join(root, name);
    if (seen.has(device)) continue;
    if (platform === 'darwin' && /Bluetooth|debug-console/i.test(name)) continue;
    entries.push({ path: device, device, manufacturer: null, serialNumber: null, vendorId: null, productId: null, label: device });
  }
  return entries;
}

async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
