import { AppError } from '../errors';
import { HttpClient } from '../printers/lan-common/http';
import type { PrinterConfig } from '../printers/printer-configs';

/** A webcam a printer's own software announces (Moonraker's webcam list, OctoPrint's webcam settings). */
export interface AnnouncedWebcam {
  /** Stable within the printer (Moonraker's uid or name), used in the camera's id. */
  key: string;
  name: string;
  kind: 'mjpeg' | 'snapshot';
  /** Absolute, without user or password (those, if the URL had them, are in `credentials`). */
  url: string;
  credentials: { username: string; password: string } | null;
}

/** Moonraker services that serve multipart MJPEG at `stream_url`; the others are read through `snapshot_url`. */
const MJPEG_SERVICES = new Set(['mjpegstreamer', 'uv4l-mjpeg', 'ipstream']);
const DISCOVERY_TIMEOUT_MS = 4000;

/**
 * Asks a Moonraker (`GET /server/webcams/list`) or OctoPrint (`GET /api/settings`, `webcam`) printer which
 * webcams it knows, with the printer's API key. Other kinds announce none. Relative URLs are resolved the way
 * their web interfaces do: OctoPrint's against its own address; Moonraker's against the host's web server
 * (Mainsail and Fluidd serve `/webcam/` on port 80 while Moonraker itself listens on 7125).
 */
export async function discoverWebcams(config: PrinterConfig, apiKey: string | null): Promise<AnnouncedWebcam[]> {
  if (config.kind !== 'moonraker' && config.kind !== 'octoprint') return [];
  const http = new HttpClient(config.url, { label: `${config.name} (${new URL(config.url).host})`, timeoutMs: DISCOVERY_TIMEOUT_MS });
  try {
    const headers = apiKey ? { 'X-Api-Key': apiKey } : undefined;
    if (config.kind === 'moonraker') {
      const res = await http.request({ method: 'GET', path: '/server/webcams/list', ...(headers ? { headers } : {}) });
      if (res.status !== 200) throw new AppError('printer_error', `${config.name} did not list its webcams (HTTP ${res.status}).`);
      return moonrakerWebcams(res.json(), config.url);
    }
    const res = await http.request({ method: 'GET', path: '/api/settings', ...(headers ? { headers } : {}) });
    if (res.status !== 200) throw new AppError('printer_error', `${config.name} did not give its webcam settings (HTTP ${res.status}).`);
    return octoPrintWebcams(res.json(), config.url);
  } finally {
    http.close();
  }
}

interface MoonrakerWebcam {
  name?: unknown;
  uid?: unknown;
  enabled?: unknown;
  service?: unknown;
  stream_url?: unknown;
  snapshot_url?: unknown;
}

export function moonrakerWebcams(body: unknown, printerUrl: string): AnnouncedWebcam[] {
  const list = (body as { result?: { webcams?: MoonrakerWebcam[] } })?.result?.webcams;
  if (!Array.isArray(list)) return [];
  const base = moonrakerWebBase(printerUrl);
  const out: AnnouncedWebcam[] = [];
  list.forEach((cam, index) => {
    if (cam.enabled === false) return;
    const name = typeof cam.name === 'string' && cam.name.trim() ? cam.name.trim().slice(0, 80) : `Webcam ${index + 1}`;
    const key = typeof cam.uid === 'string' && cam.uid ? cam.uid : name;
    const stream = typeof cam.stream_url === 'string' ? cam.stream_url : '';
    const snapshot = typeof cam.snapshot_url === 'string' ? cam.snapshot_url : '';
    const service = typeof cam.service === 'string' ? cam.service : 'mjpegstreamer';
    const picked = MJPEG_SERVICES.has(service) && stream ? { kind: 'mjpeg' as const, raw: stream } : snapshot ? { kind: 'snapshot' as const, raw: snapshot } : null;
    const resolved = picked && resolveWebcamUrl(picked.raw, base);
    if (picked && resolved) out.push({ key, name, kind: picked.kind, ...resolved });
  });
  return out;
}

export function octoPrintWebcams(body: unknown, printerUrl: string): AnnouncedWebcam[] {
  const webcam = (body as { webcam?: { webcamEnabled?: unknown; streamUrl?: unknown; snapshotUrl?: unknown } })?.webcam;
  if (!webcam || webcam.webcamEnabled === false) return [];
  const base = `${printerUrl.replace(/\/+$/, '')}/`;
  const stream = typeof webcam.streamUrl === 'string' ? resolveWebcamUrl(webcam.streamUrl, base) : null;
  if (stream) return [{ key: 'webcam', name: 'Webcam', kind: 'mjpeg', ...stream }];
  const snapshot = typeof webcam.snapshotUrl === 'string' ? resolveWebcamUrl(webcam.snapshotUrl, base) : null;
  return snapshot ? [{ key: 'webcam', name: 'Webcam', kind: 'snapshot', ...snapshot }] : [];
}

/** Where Moonraker's relative webcam paths live: the host's web server when Moonraker is on its own port 7125. */
function moonrakerWebBase(printerUrl: string): string {
  const u = new URL(printerUrl);
  if (u.port === '7125') return `${u.protocol}//${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}/`;
  return `${printerUrl.replace(/\/+$/, '')}/`;
}

/** An absolute http(s) URL with any user and password moved out of it, or null for anything else (webrtc://, empty). */
export function resolveWebcamUrl(raw: string, base: string): { url: string; credentials: AnnouncedWebcam['credentials'] } | null {
  if (!raw.trim()) return null;
  let u: URL;
  try {
    u = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  return splitCredentials(u);
}

/** Takes `user:password@` out of a URL: credentials never travel inside one. */
export function splitCredentials(u: URL): { url: string; credentials: AnnouncedWebcam['credentials'] } {
  const credentials = u.username || u.password ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : null;
  u.username = '';
  u.password = '';
  return { url: u.toString(), credentials };
}
