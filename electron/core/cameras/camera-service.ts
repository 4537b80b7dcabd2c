import type { CameraView, LocalVideoDevices } from '../contract/camera-types';
import type { CredentialNotice } from '../contract/lan-types';
import { noticeFor } from '../handlers/lan';
import type { MethodParsedInput } from '../contract/methods';
import type { CredentialStore } from '../credentials/credential-store';
import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { SettingsStore } from '../ports/settings-store';
import type { Fleet } from '../printers/fleet';
import type { PrinterConfig } from '../printers/printer-configs';
import { bambuCameraModel } from './bambu-framing';
import { BambuCameraSource } from './bambu-source';
import { CameraConfigs, type SavedCamera } from './camera-configs';
import type { CameraSource } from './camera-source';
import { describeCameraUrl, type HttpCameraTarget } from './http-camera';
import { MjpegStreamSource } from './mjpeg-source';
import { CameraRelay, type Viewer, type Watch } from './relay';
import { SnapshotSource } from './snapshot-source';
import { ffmpegProblem, listVideoDevices, UsbCameraSource } from './usb-source';
import { discoverWebcams, splitCredentials, type AnnouncedWebcam } from './webcam-discovery';
import { bambuTlsOptions } from '../printers/bambu/printer-certificate';

/** A printer's announced webcams are asked for again after this long (someone may have added one in Mainsail). */
const DISCOVERY_TTL_MS = 5 * 60_000;
const BUILT_IN = 'builtin';

export const X1_CAMERA_PROBLEM =
  "An X1's camera streams over RTSPS (port 322), which this app cannot read yet. Add a snapshot or MJPEG URL of another camera that watches this printer instead.";

type Discover = (config: PrinterConfig, apiKey: string | null) => Promise<AnnouncedWebcam[]>;

interface Announced {
  /** The printer address they were asked from: a printer moved to a new address is asked again. */
  url: string;
  at: number;
  webcams: AnnouncedWebcam[];
}

/**
 * Every printer's cameras: added by hand (kept in the settings, passwords in the credential store), announced
 * by the printer's own Moonraker or OctoPrint (asked when the printer is added, and again every few minutes
 * when listed), and a Bambu printer's built-in one. Pictures go through one relay; nothing here hands a URL
 * with a credential, or a credential, to the renderer.
 */
export class CameraService {
  readonly relay: CameraRelay;
  private readonly configs: CameraConfigs;
  private readonly announced = new Map<string, Announced>();
  private readonly asking = new Map<string, Promise<void>>();
  private readonly offPrinters: () => void;
  private readonly discover: Discover;

  constructor(
    private readonly deps: {
      fleet: Fleet;
      settings: SettingsStore;
      credentials: CredentialStore;
      clock: Clock;
      discover?: Discover;
      lingerMs?: number;
      /** Bambu Lab's CA certificates, for the built-in camera's certificate check (as for the printer's MQTT). */
      bambuAnchors?: readonly string[];
    },
  ) {
    this.configs = new CameraConfigs(deps.settings);
    this.discover = deps.discover ?? discoverWebcams;
    this.relay = new CameraRelay({ open: (id) => this.open(id), clock: deps.clock, ...(deps.lingerMs !== undefined ? { lingerMs: deps.lingerMs } : {}) });
    this.offPrinters = deps.fleet.onPrintersChanged(() => this.printersChanged());
    this.printersChanged();
  }

  async list(printerId?: string): Promise<CameraView[]> {
    const printers = this.deps.fleet.savedConfigs().filter((p) => printerId === undefined || p.id === printerId);
    if (printerId !== undefined && printers.length === 0) throw new AppError('not_found', 'That printer no longer exists. It may have been removed in another window.');
    await Promise.all(printers.map((p) => this.ensureAnnounced(p)));
    return printers.flatMap((p) => this.camerasOf(p));
  }

  async add(input: MethodParsedInput<'cameras.add'>): Promise<{ camera: CameraView; credential: CredentialNotice | null }> {
    const printer = this.deps.fleet.configOf(input.printerId);
    if (input.kind === 'usb') {
      return {
        camera: this.manualView(this.configs.add({ printerId: printer.id, name: input.name, kind: 'usb', url: input.device, username: null, credentialRef: null })),
        credential: null,
      };
    }
    let parsed: URL;
    try {
      parsed = new URL(input.url);
    } catch {
      throw new AppError('invalid_input', 'That camera address is not a valid URL. It looks like http://192.168.1.20/webcam/?action=stream.');
    }
    const { url, credentials: inUrl } = splitCredentials(parsed);
    if (inUrl && (input.username || input.password)) throw new AppError('invalid_input', 'Give the user name and password either in the address or in their own fields, not both.');
    const username = input.username ?? inUrl?.username ?? null;
    const password = input.password ?? inUrl?.password ?? null;
    if (password && !username) throw new AppError('invalid_input', 'A camera password needs its user name too.');
    const kept = password ? await this.deps.credentials.put(password, { plaintext: input.storePlaintext === true }) : null;
    const saved = this.configs.add({ printerId: printer.id, name: input.name, kind: input.kind, url, username: username || null, credentialRef: kept?.ref ?? null });
    // Without a keyring the password lasts until the host stops: the UI says so, as for a printer's key.
    return { camera: this.manualView(saved), credential: kept ? noticeFor(kept.protection) : null };
  }

  remove(cameraId: string): void {
    const saved = this.configs.get(cameraId);
    if (!saved) {
      if (this.isKnownId(cameraId)) {
        throw new AppError('invalid_input', "This camera comes from the printer itself (its Moonraker or OctoPrint settings, or a Bambu printer's own); remove it there.");
      }
      throw new AppError('not_found', 'That camera no longer exists.');
    }
    this.forget(saved);
  }

  async localDevices(): Promise<LocalVideoDevices> {
    const [devices, problem] = await Promise.all([listVideoDevices(), ffmpegProblem()]);
    return { devices, problem };
  }

  /** A viewer for a camera's pictures (the stream route); a camera announced by a printer may be asked for first. */
  async watch(cameraId: string, viewer: Viewer): Promise<Watch> {
    const printerId = cameraId.includes('~') ? cameraId.slice(0, cameraId.indexOf('~')) : null;
    if (printerId && !this.relay.active().some((a) => a.cameraId === cameraId)) {
      const printer = this.deps.fleet.savedConfigs().find((p) => p.id === printerId);
      if (printer) await this.ensureAnnounced(printer);
    }
    return this.relay.watch(cameraId, viewer);
  }

  close(): void {
    this.offPrinters();
    this.relay.close();
  }

  private camerasOf(printer: PrinterConfig): CameraView[] {
    const views: CameraView[] = [];
    if (printer.kind === 'bambu') {
      const id = `${printer.id}~${BUILT_IN}`;
      const x1 = bambuCameraModel(printer.serial) === 'x1';
      views.push({
        id,
        printerId: printer.id,
        name: 'Built-in camera',
        kind: 'bambu',
        origin: 'built-in',
        where: x1 ? `${printer.host}, RTSPS port 322` : `${printer.host}, port ${printer.cameraPort} (TLS)`,
        streamPath: x1 ? null : streamPath(id),
        problem: x1 ? X1_CAMERA_PROBLEM : this.relay.lastError(id),
        removable: false,
      });
    }
    for (const cam of this.announced.get(printer.id)?.webcams ?? []) {
      const id = announcedId(printer.id, cam.key);
      views.push({
        id,
        printerId: printer.id,
        name: cam.name,
        kind: cam.kind,
        origin: 'printer',
        where: describeCameraUrl(cam.url),
        streamPath: streamPath(id),
        problem: this.relay.lastError(id),
        removable: false,
      });
    }
    for (const saved of this.configs.all()) if (saved.printerId === printer.id) views.push(this.manualView(saved));
    return views;
  }

  private manualView(saved: SavedCamera): CameraView {
    return {
      id: saved.id,
      printerId: saved.printerId,
      name: saved.name,
      kind: saved.kind,
      origin: 'manual',
      where: saved.kind === 'usb' ? saved.url : describeCameraUrl(saved.url),
      streamPath: streamPath(saved.id),
      problem: this.relay.lastError(saved.id),
      removable: true,
    };
  }

  /** Builds the upstream for a camera id (called by the relay for its first viewer). */
  private open(cameraId: string): CameraSource {
    const saved = this.configs.get(cameraId);
    if (saved?.kind === 'usb') return new UsbCameraSource({ device: saved.url, label: `camera "${saved.name}" (${saved.url})` });
    if (saved) {
      const printerName = this.printerName(saved.printerId);
      const target: HttpCameraTarget = {
        url: saved.url,
        label: `camera "${saved.name}" of ${printerName} (${new URL(saved.url).host})`,
        credentials: async () => {
          if (!saved.username) return null;
          const password = saved.credentialRef ? await this.deps.credentials.get(saved.credentialRef) : '';
          if (password === null)
            throw new AppError('printer_error', `The password of the camera "${saved.name}" is not held on this computer. Remove the camera and add it again with its password.`);
          return { username: saved.username, password };
        },
      };
      return saved.kind === 'mjpeg' ? new MjpegStreamSource(target) : new SnapshotSource(target, this.deps.clock);
    }
    const sep = cameraId.indexOf('~');
    const printer = sep > 0 ? this.deps.fleet.savedConfigs().find((p) => p.id === cameraId.slice(0, sep)) : undefined;
    if (!printer) throw new AppError('not_found', 'That camera no longer exists.');
    if (printer.kind === 'bambu' && cameraId === `${printer.id}~${BUILT_IN}`) {
      if (bambuCameraModel(printer.serial) === 'x1') throw new AppError('unsupported', X1_CAMERA_PROBLEM);
      const ref = printer.credentialRef;
      return new BambuCameraSource({
        host: printer.host,
        port: printer.cameraPort,
        label: `camera of ${printer.name} (${printer.host})`,
        accessCode: async () => (ref ? this.deps.credentials.get(ref) : null),
        tls: bambuTlsOptions({ serial: printer.serial, anchors: this.deps.bambuAnchors ?? [], pin: printer.certificatePin }),
      });
    }
    const cam = this.announced.get(printer.id)?.webcams.find((w) => announcedId(printer.id, w.key) === cameraId);
    if (!cam) throw new AppError('not_found', 'That camera no longer exists.');
    const target: HttpCameraTarget = {
      url: cam.url,
      label: `camera "${cam.name}" of ${printer.name} (${new URL(cam.url).host})`,
      ...(cam.credentials ? { credentials: async () => cam.credentials } : {}),
    };
    return cam.kind === 'mjpeg' ? new MjpegStreamSource(target) : new SnapshotSource(target, this.deps.clock);
  }

  /** Asks a Moonraker/OctoPrint printer for its webcams unless it was asked recently; a failure leaves none listed. */
  private ensureAnnounced(printer: PrinterConfig): Promise<void> {
    if (printer.kind !== 'moonraker' && printer.kind !== 'octoprint') return Promise.resolve();
    const known = this.announced.get(printer.id);
    if (known && known.url === printer.url && this.deps.clock.now() - known.at < DISCOVERY_TTL_MS) return Promise.resolve();
    let pending = this.asking.get(printer.id);
    if (!pending) {
      pending = (async () => {
        try {
          const key = printer.credentialRef ? await this.deps.credentials.get(printer.credentialRef) : null;
          const webcams = await this.discover(printer, key);
          if (this.deps.fleet.savedConfigs().some((p) => p.id === printer.id)) this.announced.set(printer.id, { url: printer.url, at: this.deps.clock.now(), webcams });
        } catch {
          // Unreachable or refusing: the printer's own page says why; its cameras are asked for again next time.
          if (known) this.announced.set(printer.id, { ...known, at: this.deps.clock.now() - DISCOVERY_TTL_MS / 2 });
        } finally {
          this.asking.delete(printer.id);
        }
      })();
      this.asking.set(printer.id, pending);
    }
    return pending;
  }

  /** New printers are asked for their webcams at once; a removed printer's cameras (and passwords) go with it. */
  private printersChanged(): void {
    const printers = this.deps.fleet.savedConfigs();
    const ids = new Set(printers.map((p) => p.id));
    for (const saved of this.configs.all()) if (!ids.has(saved.printerId)) this.forget(saved);
    for (const id of [...this.announced.keys()]) if (!ids.has(id)) this.announced.delete(id);
    for (const p of printers) if (!this.announced.has(p.id) || ('url' in p && this.announced.get(p.id)!.url !== p.url)) void this.ensureAnnounced(p);
    for (const { cameraId } of this.relay.active()) {
      const sep = cameraId.indexOf('~');
      if (sep > 0 && !ids.has(cameraId.slice(0, sep))) this.relay.close(cameraId);
    }
  }

  private forget(saved: SavedCamera): void {
    this.configs.remove(saved.id);
    if (saved.credentialRef) this.deps.credentials.remove(saved.credentialRef);
    this.relay.close(saved.id);
  }

  private isKnownId(cameraId: string): boolean {
    const sep = cameraId.indexOf('~');
    return sep > 0 && this.deps.fleet.savedConfigs().some((p) => p.id === cameraId.slice(0, sep));
  }

  private printerName(printerId: string): string {
    return this.deps.fleet.savedConfigs().find((p) => p.id === printerId)?.name ?? 'a removed printer';
  }
}

function announcedId(printerId: string, key: string): string {
  return `${printerId}~${key.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}`;
}

function streamPath(id: string): string {
  return `/camera/${encodeURIComponent(id)}/stream`;
}
