import { AccessService } from './access';
import { AppError } from './errors';
import { createCloudAccount, createKeyAdmin, createSetupWizard, type ClientTuning } from './cloud-account';
import { EventBus } from './events/event-bus';
import { CameraService } from './cameras/camera-service';
import type { Viewer, Watch } from './cameras/relay';
import type { EventPayloads } from './contract/events';
import type { SnapshotView } from './contract/snapshot-types';
import { createAppHandlers } from './handlers/app';
import { createCameraHandlers } from './handlers/cameras';
import { createHistoryHandlers } from './handlers/history';
import { createSnapshotHandlers } from './handlers/snapshots';
import { createCostHandlers } from './handlers/costs';
import { PrintSnapshots } from './snapshots/print-snapshots';
import { SnapshotStore } from './snapshots/snapshot-store';
import { credentialTokenStore } from './cloud-account/credential-token-store';
import { SignInService } from './cloud-account/sign-in-service';
import { createSignInHandlers } from './handlers/sign-in';
import { createHubHandlers } from './handlers/hub';
import { HubService } from './hub/hub-service';
import { createJobHandlers } from './handlers/jobs';
import { createLibraryHandlers } from './handlers/library';
import { createMaterialHandlers } from './handlers/materials';
import { createMaintenanceHandlers } from './handlers/maintenance';
import { createSpoolmanHandlers } from './handlers/spoolman';
import { SpoolmanSource } from './materials/spoolman/spoolman-source';
import { createMaterialSyncHandlers } from './handlers/material-sync';
import { MaterialCloudSync, type MaterialSyncTimings } from './materials/cloud-sync/cloud-sync';
import { accountSyncAccess } from './materials/cloud-sync/sync-access';
import { NoticeBoard, settingsRecoveredNotice } from './notices/notice-board';
import { createFarmServices } from './jobs';
import { openDatabase } from './store/database';
import { createKeyHandlers } from './handlers/keys';
import { addLanPrinter, createLanHandlers, findSameLanPrinter, moveLanPrinter, updateLanCredential, type DiscoverPrinters } from './handlers/lan';
import { createPrinterHandlers } from './handlers/printers';
import { createSerialHandlers } from './handlers/serial';
import { loadEnvKey } from './keys/env-key';
import type { SecretBox } from './keys/ports';
import { createKeyVault } from './keys/vault';
import { createCredentialStore } from './credentials/credential-store';
import { scanLan } from './printers/discovery/scan';
import type { Clock } from './ports/clock';
import { systemClock } from './ports/clock';
import type { SettingsStore } from './ports/settings-store';
import type { DriverFactory } from './printers/fleet';
import type { BackoffOptions } from './printers/lan-common/backoff';
import { Fleet } from './printers/fleet';
import { PrinterConfigs } from './printers/printer-configs';
import { createDispatcher, type Handlers, type Logger } from './rpc/dispatch';
import { SettingsService } from './settings/settings-service';
import { isUsbPrintStreaming } from './updates/update-policy';

/** What a host hands the core. Everything with a side effect outside the process comes in here. */
export interface CorePorts {
  host: 'desktop' | 'headless';
  version: string;
  dataDir: string;
  settings: SettingsStore;
  createDriver: DriverFactory;
  /** Bambu Lab's CA certificates, for the checks the core makes outside the drivers (the built-in camera). */
  bambuAnchors?: readonly string[];
  clock?: Clock;
  log: Logger;
  /** Adds the embedded virtual printer on the first run of a data directory. Default true. */
  seedDefaultPrinter?: boolean;
  /** Encrypts the cloud API key at rest. Desktop: safeStorage. Absent or null: the key lives in memory only. */
  secretBox?: SecretBox | null;
  /** Where AUTOPRINTFARM_API_KEY / AUTOPRINTFARM_API_URL are read from; default: none (tests stay hermetic). */
  env?: Record<string, string | undefined>;
  /** The text of a `.env` file, read by the host. */
  envFileText?: string | undefined;
  /** For calls to the AutoPrintFarm cloud; default: the global fetch. */
  fetch?: typeof fetch;
  /** Retries and timeouts of cloud calls made for the user (tests shorten them). */
  cloudClient?: ClientTuning;
  /** For the key vault's keyring policy (Linux treats an unknown backend as no keyring); default: this process's. */
  platform?: NodeJS.Platform;
  /** Finds printers on the LAN (mDNS, Bambu SSDP); default: listens on the real network. */
  discoverPrinters?: DiscoverPrinters;
  /** Opens a link in the system browser (the desktop's shell.openExternal); headless has none. */
  openBrowser?: (url: string) => Promise<void> | void;
  /** The hub socket's reconnection delays (tests shorten them); default 1 s doubling to 60 s. */
  hubBackoff?: BackoffOptions;
  /** The SQLite file in the data folder (default autoprintfarm.db); ':memory:' keeps tests off the disk. */
  databaseFile?: string;
  /** Browser sessions unused this long expire (tests shorten it); default 30 days. */
  sessionIdleMs?: number;
  /** better-sqlite3's compiled addon for this runtime (the desktop's Electron build); default: node_modules' Node build. */
  sqliteNativeBinding?: string | null;
  /** The ffmpeg that assembles time-lapse videos; default `ffmpeg` on the PATH (tests name a missing one for the frame strip). */
  ffmpegPath?: string;
  /** How often spools are synced with the cloud and how failures back off (tests shorten them); default 5 min, 2 s, 5 s → 5 min. */
  materialSync?: Partial<MaterialSyncTimings>;
}

export interface Core {
  handlers: Handlers;
  events: EventBus;
  dispatch: ReturnType<typeof createDispatcher>;
  /** Browser sessions, pairing codes and the audit log (the headless host authenticates through it). */
  access: AccessService;
  /** A viewer of a camera's pictures, relayed (the hosts' stream routes); an AppError for an unknown camera. */
  watchCamera(cameraId: string, viewer: Viewer): Promise<Watch>;
  /** A print's picture or time-lapse video (the hosts' /snapshot/<id> routes); an AppError when it is gone. */
  readSnapshot(id: number): Promise<{ bytes: Buffer; contentType: SnapshotView['contentType'] }>;
  /** Whether a USB print is streaming now (a restart would ruin it); the desktop's updater asks this. */
  usbPrintStreaming(): boolean;
  /** The names of the USB printers whose print is streaming now (what quitting would stop). */
  usbPrintsStreaming(): string[];
  /** A connection (CallContext.session) closed: what it left open, such as unfinished uploads, is dropped. */
  endSession(session: string): Promise<void>;
  close(): Promise<void>;
}

export function createCore(ports: CorePorts): Core {
  const clock = ports.clock ?? systemClock;
  const events = new EventBus();
  const settings = new SettingsService(ports.settings);
  const notices = new NoticeBoard(events);
  // A settings file found damaged when the host opened it was moved aside; the user hears it in the UI.
  if (ports.settings.recovery) notices.post(settingsRecoveredNotice(ports.settings.recovery));
  const configs = new PrinterConfigs(ports.settings);
  if (ports.seedDefaultPrinter !== false) configs.seedDefaultOnce();
  // Printer secrets (API keys, access codes) under the same keyring policy as the cloud key.
  const credentials = createCredentialStore({ secretBox: ports.secretBox ?? null, settings: ports.settings, ...(ports.platform ? { platform: ports.platform } : {}) });
  const fleet = new Fleet(configs, ports.createDriver, events, clock, credentials);
  fleet.start();
  // Library, queue, dispatcher and history: one SQLite database in the data folder (committed before each event).
  const db = openDatabase(ports.dataDir, { ...(ports.databaseFile ? { file: ports.databaseFile } : {}), nativeBinding: ports.sqliteNativeBinding ?? null });
  // Spools are kept here or on a Spoolman server (Settings); the source exists before the farm starts, so a print
  // that ended during a crash and is settled at start has its use queued for Spoolman too.
  let spoolman: SpoolmanSource | null = null;
  const { library, farm, spools, maintenance } = createFarmServices({
    db,
    dataDir: ports.dataDir,
    fleet,
    clock,
    events,
    spoolSource: {
      source: () => spoolman?.source ?? 'local',
      spoolmanUseInTx: (use) => spoolman!.queueUseInTx(use),
      onSpoolmanUse: () => spoolman?.usesQueued(),
    },
  });
  spoolman = new SpoolmanSource({ db, settings: ports.settings, clock, inventory: () => spools, onStatus: (status) => events.emit('spoolman.status', status) });
  const spoolmanSource = spoolman;
  spools.reload();
  spoolmanSource.start();
  library.resumePending();
  const cameras = new CameraService({ fleet, settings: ports.settings, credentials, clock, ...(ports.bambuAnchors ? { bambuAnchors: ports.bambuAnchors } : {}) });
  // Pictures of each print; listening before the farm starts, so a print a crash interrupted gets its pictures too.
  const snapshotStore = new SnapshotStore(db, ports.dataDir);
  const snapshots = new PrintSnapshots({
    store: snapshotStore,
    clock,
    cameraOf: async (printerId) => (await cameras.list(printerId).catch(() => [])).find((c) => c.streamPath !== null)?.id ?? null,
    watch: (cameraId, viewer) => cameras.watch(cameraId, viewer),
    announce: (list) => events.emit('snapshots.added', { snapshots: list }),
    log: (message, err) => ports.log.error(message, err),
    ...(ports.ffmpegPath ? { ffmpegPath: ports.ffmpegPath } : {}),
  });
  const offSnapshotStatus = fleet.onPrinterStatus((printerId, status) => snapshots.status(printerId, status));
  const offSnapshotEnds = events.subscribe((name, payload) => {
    if (name === 'history.added') snapshots.ended((payload as EventPayloads['history.added']).entry);
  });
  farm.start();
  const access = new AccessService(db, () => clock.now(), ports.host, ports.sessionIdleMs !== undefined ? { sessionIdleMs: ports.sessionIdleMs } : {});

  const vault = createKeyVault({
    secretBox: ports.secretBox ?? null,
    settings: ports.settings,
    now: () => clock.now(),
    ...(ports.platform ? { platform: ports.platform } : {}),
  });
  // "Sign in with AutoPrintFarm": its tokens take the key's place while signed in (late-bound: it reads the account's server).
  let signIn: SignInService | null = null;
  const account = createCloudAccount({
    bearer: () => signIn?.bearer() ?? null,
    vault,
    settings: ports.settings,
    host: ports.host,
    environment: loadEnvKey({ env: ports.env ?? {}, ...(ports.envFileText !== undefined ? { envFileText: ports.envFileText } : {}) }),
    fetch: ports.fetch,
    clientTuning: ports.cloudClient,
    now: () => clock.now(),
  });
  account.onStatus((status) => events.emit('keys.status', status));
  signIn = new SignInService({
    apiBaseUrl: () => account.status().baseUrl,
    store: credentialTokenStore(credentials, ports.settings),
    settings: ports.settings,
    openBrowser: ports.openBrowser,
    fetch: ports.fetch,
    onChange: (view) => {
      events.emit('signIn.status', view);
      events.emit('keys.status', account.status());
      hub.keyChanged();
      materialSync.credentialsChanged();
    },
  });
  const signedIn = signIn;

  // The cloud hub: idle until the user links it; the app's key reaches it only through these two reads.
  const hub = new HubService({
    settings: ports.settings,
    cloud: {
      ready: Promise.all([account.ready, signedIn.ready]).then(() => undefined),
      client: () => account.appClient(),
      credential: async () => (await signedIn.accessToken()) ?? account.appKey()?.key ?? null,
    },
    db,
    events,
    fleet,
    farm,
    library,
    clock,
    dataDir: ports.dataDir,
    version: ports.version,
    platform: ports.platform ?? process.platform,
    fetch: ports.fetch,
    backoff: ports.hubBackoff,
    discover: ports.discoverPrinters ?? ((o) => scanLan(o)),
    printerAdmin: {
      existingPrinter: (input) => findSameLanPrinter(fleet, input),
      addPrinter: async (input) => (await addLanPrinter(fleet, credentials, input)).printer,
      replaceSecret: async (printerId, secret) => void (await updateLanCredential(fleet, credentials, { printerId, secret })),
      moveTo: async (printerId, address) => void (await moveLanPrinter(fleet, printerId, address)),
      removePrinter: async (printerId) => {
        const printer = fleet.get(printerId);
        if (printer.status.state.kind === 'printing' || printer.status.state.kind === 'paused') {
          throw new AppError('conflict', `${printer.name} is printing; remove it after the print ends.`);
        }
        await fleet.remove(printerId);
      },
    },
    log: (message, err) => ports.log.error(message, err),
    onStatus: (status) => events.emit('hub.status', status),
  });
  // A linked hub runs again once the saved key is read, and starts when a key appears after linking.
  void account.ready.then(() => hub.resume());
  account.onStatus(() => hub.keyChanged());

  // Spools ↔ the cloud's filament records, only while the key or sign-in holds a materials scope (no calls otherwise).
  const materialSync = new MaterialCloudSync({
    db,
    clock,
    spools,
    access: accountSyncAccess(
      account,
      () => signedIn.view(),
      Promise.all([account.ready, signedIn.ready]).then(() => undefined),
    ),
    onStatus: (status) => events.emit('materialSync.status', status),
    log: (message, err) => ports.log.error(message, err),
    paused: () =>
      spoolmanSource.source === 'spoolman'
        ? "Spools are kept in Spoolman now, so they are Spoolman's to keep: the cloud sync of this computer's own spools waits until Spoolman is switched off."
        : null,
    ...(ports.materialSync ? { timings: ports.materialSync } : {}),
  });
  let sourceSeen = spoolmanSource.source;
  const offSourceWatch = events.subscribe((name) => {
    if (name !== 'spoolman.status' || spoolmanSource.source === sourceSeen) return;
    sourceSeen = spoolmanSource.source;
    materialSync.sourceChanged();
  });
  // Only a different key or server is news to the sync (the account's status also changes when the sync records what a key holds).
  let credentialSeen = '';
  account.onStatus((status) => {
    const seen = `${status.key.state === 'stored' || status.key.state === 'session-only' ? status.key.mask : status.key.state}|${status.baseUrl}`;
    if (seen === credentialSeen) return;
    credentialSeen = seen;
    materialSync.credentialsChanged();
  });
  materialSync.start();

  // One factory per domain; the Handlers type fails to compile until every contract method has one.
  const handlers: Handlers = {
    ...createAppHandlers({ settings, events, notices, info: { version: ports.version, host: ports.host, dataDir: ports.dataDir } }),
    ...createPrinterHandlers(fleet),
    ...createLanHandlers({ fleet, credentials, discover: ports.discoverPrinters ?? ((o) => scanLan(o)) }),
    ...createSerialHandlers(fleet),
    ...createLibraryHandlers({ library, farm }),
    ...createJobHandlers(farm),
    ...createMaterialHandlers({ spools, clock, spoolman: spoolmanSource }),
    ...createSpoolmanHandlers(spoolmanSource),
    ...createMaterialSyncHandlers(materialSync),
    ...createMaintenanceHandlers({ maintenance, host: ports.host }),
    ...createHistoryHandlers({ farm, clock, printerNames: () => new Map(fleet.list().map((p) => [p.id, p.name])) }),
    ...createKeyHandlers({ account, wizard: createSetupWizard(account), admin: createKeyAdmin(account) }),
    ...createHubHandlers(hub),
    ...createSignInHandlers(signedIn),
    ...access.handlers(),
    ...createCameraHandlers(cameras),
    ...createSnapshotHandlers({ store: snapshotStore, snapshots, fleet }),
    ...createCostHandlers({ farm, fleet, clock }),
  };

  return {
    handlers,
    events,
    dispatch: createDispatcher(handlers, ports.log, (method, input, ctx, outcome) => access.recordAdminCall(method, input, ctx, outcome)),
    access,
    watchCamera: (cameraId, viewer) => cameras.watch(cameraId, viewer),
    readSnapshot: (id) => snapshotStore.read(id),
    usbPrintStreaming: () => isUsbPrintStreaming(fleet.list()),
    usbPrintsStreaming: () =>
      fleet
        .list()
        .filter((p) => isUsbPrintStreaming([p]))
        .map((p) => p.name),
    endSession: (session) => library.endSession(session),
    close: async () => {
      await account.ready;
      hub.close();
      offSourceWatch();
      await materialSync.close();
      offSnapshotStatus();
      offSnapshotEnds();
      await snapshots.close();
      cameras.close();
      spoolmanSource.close();
      // The farm stops listening first: prints that die with the app are marked interrupted on the next start.
      await farm.close();
      await library.close();
      await fleet.close();
      db.close();
    },
  };
}
