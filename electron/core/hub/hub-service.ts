import type { CloudClient } from '../cloud/client';
import type { ConnectionType } from '../cloud/schemas';
import type { CloudPrinterView, HubConnectionState, HubStatusView } from '../contract/hub-types';
import type { PrinterKind } from '../contract/printer-model';
import { AppError } from '../errors';
import type { SettingsStore } from '../ports/settings-store';
import { hubIdOf } from './hub-identity';
import type { HubLinkState } from './hub-link';
import { cloudModelOf, HubRuntime, type HubRuntimeDeps } from './hub-runtime';
import { HubSettings } from './hub-settings';

/**
 * How the hub reaches the cloud with the app's own key, and nothing more: the key stays inside the core (the
 * socket's Authorization header and the client's requests), never in a status or an event.
 */
export interface HubCloudAccess {
  /** Resolves once the saved key was read (it is read asynchronously at start). */
  ready: Promise<void>;
  /** A client with the app's current key, or null when none is set up. */
  client(): CloudClient | null;
  /** The app's access token (signed in) or key for the socket's upgrade, or null. */
  credential(): Promise<string | null>;
}

export type HubServiceDeps = Omit<HubRuntimeDeps, 'hubId' | 'socketUrl' | 'credential' | 'cloudIdOf' | 'localIdOf' | 'onActivity' | 'adopt' | 'release' | 'renamed'> & {
  settings: SettingsStore;
  cloud: HubCloudAccess;
  /** Told whenever what `status()` answers may have changed. */
  onStatus(status: HubStatusView): void;
};

const ACTIVITY_EVERY_MS = 1000;

const CONNECTION_TYPE: Record<PrinterKind, ConnectionType> = {
  virtual: 'virtual',
  marlin: 'usb',
  octoprint: 'octoprint',
  moonraker: 'moonraker',
  prusalink: 'prusalink',
  bambu: 'bambu',
};

/**
 * This computer as a hub of the AutoPrintFarm cloud: linking (registers once, under the id kept in the
 * settings), publishing the printers the user picks, and running the socket while linked. Created with the
 * core and idle until the user links; `resume()` at boot restarts a hub that was linked.
 */
export class HubService {
  readonly hubId: string;
  private readonly kept: HubSettings;
  private runtime: HubRuntime | null = null;
  private activityTimer: { cancel(): void } | null = null;

  constructor(private readonly deps: HubServiceDeps) {
    this.hubId = hubIdOf(deps.settings);
    this.kept = new HubSettings(deps.settings);
  }

  /** At boot: a hub the user linked runs again at once (its outbox is replayed on the first welcome). */
  resume(): void {
    if (this.kept.linked()) this.startRuntime();
  }

  /**
   * The app's key changed (entered, rolled, forgotten). A hub waiting because its key was refused tries the
   * new one; a linked hub that had no key starts. A connected hub keeps its socket: the cloud ends it if the
   * old key stops working.
   */
  keyChanged(): void {
    if (this.runtime?.link.state().kind === 'refused') this.stopRuntime();
    this.resume();
  }

  async link(name?: string): Promise<HubStatusView> {
    const client = await this.requireClient();
    const hub = await client.hubs.register({ hub_id: this.hubId, ...(name ? { name } : {}) });
    this.kept.markLinked(hub.name);
    // A runtime left by a hub unlinked in the cloud is replaced: linking again starts from a fresh socket.
    this.stopRuntime();
    // Printers published before an unlink are found again under the same ids (idempotent on local_id).
    this.startRuntime();
    return this.changed();
  }

  /** Stops acting for the cloud here, then tells the cloud; a cloud out of reach does not keep the hub linked. */
  async unlink(): Promise<HubStatusView> {
    this.stopRuntime();
    this.kept.markUnlinked();
    await this.deps.cloud.ready;
    try {
      await this.deps.cloud.client()?.hubs.delete(this.hubId);
    } catch (err) {
      this.deps.log('hub: the cloud could not be told of the unlink (it will close the socket of a hub it no longer hears)', err);
    }
    return this.changed();
  }

  async publish(printerId: string, published: boolean): Promise<HubStatusView> {
    if (published && !this.kept.linked()) throw new AppError('conflict', 'Link this computer as a hub before publishing printers.');
    if (!published) {
      // Works for a printer already removed here too: its entry is what is being dropped.
      const cloudId = this.cloudIdOf(printerId);
      this.kept.setPublished(printerId, null);
      if (cloudId) this.runtime?.forgetPrinter(cloudId);
      return this.changed();
    }
    const printer = this.deps.fleet.get(printerId);
    const cloudPrinter = await (
      await this.requireClient()
    ).printers.publish({
      name: printer.name,
      model: cloudModelOf(printer.kind),
      hub_id: this.hubId,
      local_id: printer.id,
      connection_type: CONNECTION_TYPE[printer.kind],
    });
    this.kept.setPublished(printerId, cloudPrinter.id);
    this.runtime?.reportPrinter(printerId);
    return this.changed();
  }

  /** The organization's printers as the cloud lists them, marked by which hub drives each. */
  async cloudPrinters(): Promise<CloudPrinterView[]> {
    const page = await (await this.requireClient()).printers.list({ per_page: 100 });
    return page.data.map((p) => ({
      id: p.id,
      name: p.name,
      status: String(p.status),
      model: p.model ?? null,
      hub: !p.hub_id ? 'none' : p.hub_id === this.hubId ? 'this' : 'other',
    }));
  }

  status(): HubStatusView {
    const linked = this.kept.linked();
    const link = this.runtime?.link.state() ?? null;
    const connected = link?.kind === 'connected' ? link : null;
    return {
      hubId: this.hubId,
      // Unlinked in the cloud (close 4004) stays visible with its reason until the user links again.
      state: link?.kind === 'unlinked' ? 'unlinked' : !linked ? 'not_linked' : stateOf(link),
      reason: link && 'reason' in link ? link.reason : null,
      name: this.kept.name() ?? connected?.hubName ?? null,
      organization: connected?.organization ?? null,
      lastSyncAt: this.runtime?.lastHeardAt() ?? null,
      outboxDepth: this.runtime?.outbox.depth() ?? 0,
      published: linked ? this.kept.published() : [],
      passedOffers: this.runtime?.passedOffers() ?? [],
    };
  }

  close(): void {
    this.stopRuntime();
  }

  private startRuntime(): void {
    if (this.runtime) return;
    const client = this.deps.cloud.client();
    if (!client) return void this.deps.log('hub: linked, but no AutoPrintFarm key is set up; the hub waits for one');
    const runtime = new HubRuntime({
      ...this.deps,
      hubId: this.hubId,
      socketUrl: socketUrlOf(client.baseUrl, this.hubId),
      credential: () => this.deps.cloud.credential(),
      cloudIdOf: (id) => this.cloudIdOf(id),
      localIdOf: (cloudId) => this.kept.published().find((p) => p.cloudPrinterId === cloudId)?.printerId ?? null,
      onActivity: () => this.activity(),
      adopt: (printerId, cloudPrinterId, addedByCloud) => {
        this.kept.setPublished(printerId, cloudPrinterId);
        if (addedByCloud) this.kept.setAddedByCloud(printerId, true);
        this.changed();
      },
      release: (printerId) => {
        const addedByCloud = this.kept.addedByCloud(printerId);
        this.kept.setPublished(printerId, null);
        this.kept.setAddedByCloud(printerId, false);
        this.changed();
        return { addedByCloud };
      },
      renamed: (name) => {
        this.kept.setName(name);
        this.changed();
      },
    });
    this.runtime = runtime;
    runtime.link.events.on('state', (s: HubLinkState) => {
      if (s.kind === 'unlinked') this.kept.markUnlinked();
      // The cloud's name is the hub's name: one renamed while this hub was away is learnt from the welcome.
      if (s.kind === 'connected' && s.hubName) this.kept.setName(s.hubName);
      this.changed();
    });
    runtime.start();
  }

  private stopRuntime(): void {
    this.activityTimer?.cancel();
    this.activityTimer = null;
    this.runtime?.close();
    this.runtime = null;
  }

  /** Outbox depth and last sync move with every message: the screen hears of them at most once a second. */
  private activity(): void {
    if (this.activityTimer) return;
    this.activityTimer = this.deps.clock.setTimeout(() => {
      this.activityTimer = null;
      this.changed();
    }, ACTIVITY_EVERY_MS);
  }

  private cloudIdOf(printerId: string): string | null {
    return this.kept.published().find((p) => p.printerId === printerId)?.cloudPrinterId ?? null;
  }

  private async requireClient(): Promise<CloudClient> {
    await this.deps.cloud.ready;
    const client = this.deps.cloud.client();
    if (!client) throw new AppError('conflict', 'Set up an AutoPrintFarm key first: the hub links with it.');
    return client;
  }

  private changed(): HubStatusView {
    const status = this.status();
    this.deps.onStatus(status);
    return status;
  }
}

function stateOf(link: HubLinkState | null): HubConnectionState {
  return link === null ? 'stopped' : link.kind;
}

/** The hub socket lives beside the REST API: https://host/v1 → wss://host/v1/ws/hub/<id>. */
export function socketUrlOf(baseUrl: string, hubId: string): string {
  const url = new URL(baseUrl.replace(/\/+$/, ''));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws/hub/${encodeURIComponent(hubId)}`;
  return url.toString();
}
