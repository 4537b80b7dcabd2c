import { join } from 'node:path';
import type { Clock } from '../ports/clock';
import type { Db } from '../store/database';
import type { EventBus } from '../events/event-bus';
import type { Farm } from '../jobs/farm';
import type { Library } from '../jobs/library';
import type { Fleet } from '../printers/fleet';
import type { BackoffOptions } from '../printers/lan-common/backoff';
import type { PrinterKind } from '../contract/printer-model';
import type { PassedOffer } from '../contract/hub-types';
import { UNKNOWN_FILAMENT } from '../materials/matching';
import { CloudJobEvents } from './cloud-job-events';
import { cloudJobsToReconcile, dbLedger } from './job-report-ledger';
import { HubLink, type HubMessage } from './hub-link';
import { JobClaims, type JobOffer } from './job-claims';
import { runConfigureCommand, type ConfigureCommand, type ConfigureCommandDeps } from './configure-command';
import { runDiscoverCommand, type DiscoverCommand, type DiscoverCommandDeps } from './discover-command';
import { HubOutbox } from './outbox';
import { OutboxDelivery } from './outbox-delivery';
import { runPrintCommand, type PrintCommand } from './print-command';
import { runPrinterCommand, type PrinterCommand } from './printer-command';
import { StatusThrottle } from './status-throttle';

export interface HubRuntimeDeps {
  hubId: string;
  /** ws(s)://…/v1/ws/hub/<hubId> */
  socketUrl: string;
  credential: () => Promise<string | null>;
  /** Local printer id → cloud printer id, read at each use (publishing changes it while running). */
  cloudIdOf(printerId: string): string | null;
  localIdOf(cloudPrinterId: string): string | null;
  discover: DiscoverCommandDeps['discover'];
  /** Adding, re-keying, re-addressing and removing network printers for configure_printer, as the app's own dialogs do. */
  printerAdmin: Pick<ConfigureCommandDeps, 'existingPrinter' | 'addPrinter' | 'replaceSecret' | 'moveTo' | 'removePrinter'>;
  /** Publishing under the id the cloud chose (configure_printer) and undoing it. */
  adopt: ConfigureCommandDeps['adopt'];
  release: ConfigureCommandDeps['release'];
  /** The cloud renamed the hub (hub_config). */
  renamed(name: string): void;
  /** A message was heard or a job event queued: the outbox depth or last sync may have moved. */
  onActivity(): void;
  db: Db;
  events: EventBus;
  fleet: Fleet;
  farm: Farm;
  library: Library;
  clock: Clock;
  dataDir: string;
  version: string;
  platform: string;
  fetch?: typeof fetch | undefined;
  backoff?: BackoffOptions | undefined;
  log(message: string, err?: unknown): void;
}

/**
 * The hub while it runs: the socket, the job-event outbox, the status pacing and the two command handlers,
 * joined to the farm and the fleet through the core's event bus. Made when the hub starts and closed when it
 * stops; what must survive a restart lives in the outbox and the settings, not here.
 */
/** The model a published printer has in the cloud (what a pull-mode job's `printer_model` is matched against). */
export function cloudModelOf(kind: PrinterKind): string {
  return kind === 'virtual' ? 'Virtual' : kind;
}

export class HubRuntime {
  readonly link: HubLink;
  readonly outbox: HubOutbox;
  private readonly delivery: OutboxDelivery;
  private readonly throttle: StatusThrottle;
  private readonly jobEvents: CloudJobEvents;
  private readonly claims: JobClaims;
  private readonly off: (() => void)[] = [];
  private heardAt: number | null = null;

  constructor(private readonly deps: HubRuntimeDeps) {
    this.link = new HubLink({
      url: deps.socketUrl,
      hubId: deps.hubId,
      credential: deps.credential,
      firmwareVersion: deps.version,
      hardwareVersion: `desktop-${deps.platform}`,
      clock: deps.clock,
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
    });
    this.outbox = new HubOutbox(deps.db, () => deps.clock.now());
    this.delivery = new OutboxDelivery(this.link, this.outbox);
    this.throttle = new StatusThrottle(deps.clock, (m) => this.link.send({ ...m }));
    // Queued in the outbox in the same commit as the ledger entry; sent once committed.
    this.jobEvents = new CloudJobEvents((m) => void this.outbox.add({ ...m }), {
      ledger: dbLedger(deps.db),
      transaction: (work) => deps.db.transaction(work)(),
      committed: () => {
        this.delivery.pump();
        deps.onActivity();
      },
    });
    // What happened while the hub was not listening: prints the restart found interrupted, changes a crash cut off.
    this.jobEvents.onJobs(cloudJobsToReconcile(deps.db));
    this.claims = new JobClaims({
      readyPrinters: () => {
        const names = new Map(deps.fleet.list().map((p) => [p.id, p.name]));
        return deps.farm.readyPrinters().flatMap((p) => {
          const cloudPrinterId = deps.cloudIdOf(p.id);
          if (!cloudPrinterId || !p.kind) return [];
          return [
            {
              cloudPrinterId,
              name: names.get(p.id) ?? p.id,
              model: cloudModelOf(p.kind),
              filament: p.filament ?? UNKNOWN_FILAMENT,
              profileMaterial: p.profile?.material ?? null,
              nozzleDiameter: p.profile?.nozzleDiameter ?? null,
            },
          ];
        });
      },
      // The queue's own setting: a cloud job is matched to the filament loaded exactly as a local one.
      matching: () => deps.farm.settings().materialMatching,
      send: (m) => this.link.send(m),
      now: () => deps.clock.now(),
      onPassed: () => deps.onActivity(),
    });
    this.off.push(
      deps.events.subscribe((name, payload) => {
        if (name === 'jobs.updated') this.jobEvents.onJobs((payload as { jobs: Parameters<CloudJobEvents['onJobs']>[0] }).jobs);
        if (name === 'printer.status') {
          const { printerId, status } = payload as { printerId: string; status: Parameters<StatusThrottle['update']>[1] };
          const cloudId = deps.cloudIdOf(printerId);
          if (cloudId) this.throttle.update(cloudId, status);
        }
      }),
      this.link.events.on('state', (s) => {
        // Status is not queued offline: on every welcome the cloud gets each published printer's latest.
        if (s.kind === 'connected') this.reportAll();
      }),
      this.link.events.on('message', (m) => {
        this.heardAt = deps.clock.now();
        this.dispatch(m);
        deps.onActivity();
      }),
    );
  }

  start(): void {
    this.link.start();
  }

  lastHeardAt(): number | null {
    return this.heardAt;
  }

  /** Pull-mode offers left for other hubs, with why. */
  passedOffers(): PassedOffer[] {
    return this.claims.passed();
  }

  /** Reports a printer's status now (just published) or forgets it (no longer published). */
  reportPrinter(printerId: string): void {
    const cloudId = this.deps.cloudIdOf(printerId);
    const printer = this.deps.fleet.list().find((p) => p.id === printerId);
    if (cloudId && printer) this.throttle.update(cloudId, printer.status);
  }

  forgetPrinter(cloudPrinterId: string): void {
    this.throttle.forget(cloudPrinterId);
  }

  close(): void {
    for (const off of this.off.splice(0)) off();
    this.delivery.close();
    this.throttle.close();
    this.link.stop();
  }

  private reportAll(): void {
    for (const printer of this.deps.fleet.list()) {
      const cloudId = this.deps.cloudIdOf(printer.id);
      if (cloudId) this.throttle.update(cloudId, printer.status);
    }
    this.throttle.flushAll();
  }

  private dispatch(m: HubMessage): void {
    const { farm, fleet, library } = this.deps;
    const send = (message: HubMessage) => this.link.send(message);
    const localPrinterOf = (cloudId: string) => this.deps.localIdOf(cloudId);
    if (m.type === 'print_command') {
      runPrintCommand(m as unknown as PrintCommand, {
        localPrinterOf,
        acceptedJob: (cloudJobId) => farm.list(1000).find((j) => j.cloud?.jobId === cloudJobId) ?? null,
        addToLibrary: async (path, name) => {
          const { file } = await library.addFromPath(path, name);
          // Queued only once analysed, exactly like a file the user adds.
          await library.analysesSettled();
          return { sha256: file.sha256 };
        },
        enqueue: (req) => farm.enqueue(req),
        send,
        scratchDir: join(this.deps.dataDir, 'hub-downloads'),
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
        now: () => this.deps.clock.now(),
      })
        .catch((err: unknown) => this.deps.log('hub: print_command failed unexpectedly', err))
        .finally(() => this.claims.onAccepted(String(m.job_id)));
    } else if (m.type === 'discover_printers') {
      runDiscoverCommand(m as unknown as DiscoverCommand, { discover: this.deps.discover, send }).catch((err: unknown) =>
        this.deps.log('hub: discover_printers failed unexpectedly', err),
      );
    } else if (m.type === 'configure_printer') {
      runConfigureCommand(m as unknown as ConfigureCommand, {
        ...this.deps.printerAdmin,
        localPrinterOf,
        adopt: (printerId, cloudId, addedByCloud) => {
          this.deps.adopt(printerId, cloudId, addedByCloud);
          this.reportPrinter(printerId);
        },
        release: (printerId) => {
          const cloudId = this.deps.cloudIdOf(printerId);
          if (cloudId) this.forgetPrinter(cloudId);
          return this.deps.release(printerId);
        },
        send,
      }).catch((err: unknown) => this.deps.log('hub: configure_printer failed unexpectedly', err));
    } else if (m.type === 'hub_config') {
      const name = typeof m.hub_name === 'string' ? m.hub_name.trim() : '';
      if (name) this.deps.renamed(name);
      send({ type: 'command_ack', command_id: m.command_id, success: true });
    } else if (m.type === 'job_offer') {
      this.claims.onOffer(m as unknown as JobOffer);
    } else if (m.type === 'job_claimed') {
      this.claims.onClaimed(String(m.job_id), String(m.printer_id));
    } else if (m.type === 'job_taken') {
      this.claims.onTaken(String(m.job_id));
    } else if (m.type === 'printer_command') {
      runPrinterCommand(m as unknown as PrinterCommand, {
        localPrinterOf,
        pause: (id) => fleet.control(id, (d) => d.pause(), { evenWhilePrinting: true }),
        resume: (id) => fleet.control(id, (d) => d.resume(), { evenWhilePrinting: true }),
        stop: async (id) => {
          // The farm's job is cancelled through the farm, so it is recorded cancelled like a user's cancel;
          // a print started on the printer itself has no job here and is stopped at the printer.
          const running = farm.list(0).find((j) => j.printerId === id && (j.state === 'starting' || j.state === 'printing' || j.state === 'paused'));
          if (running) await farm.cancel(running.id);
          else await fleet.cancelPrint(id);
        },
        confirmBedClear: (id) => void farm.confirmBedClear(id),
        setLight: (id, on) => fleet.setLight(id, on),
        send,
      }).catch((err: unknown) => this.deps.log('hub: printer_command failed unexpectedly', err));
    }
  }
}
