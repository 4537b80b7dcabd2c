import { CredentialError } from '../credentials/credential-error';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { Clock } from '../ports/clock';
import type { CoolDownReport, PrinterNotice, PrinterView } from '../contract';
import type { PrinterCheck } from '../contract/lan-types';
import type { ConsoleEntry, PrinterDriver } from './driver';
import type { Axis, Heater, JobEnd, PrinterStatus, TemperatureSample } from './model';
import type { PrintSource } from './driver';
import type { NewPrinterConfig, PrinterConfig, PrinterConfigs } from './printer-configs';
import { TemperatureHistory } from './temperature-history';

/** What a driver gets besides its saved config: its secret, read from the credential store when needed. */
export interface DriverContext {
  secret(): Promise<string | null>;
}
export type DriverFactory = (config: PrinterConfig, context: DriverContext) => PrinterDriver;

/** The credential store as the fleet uses it (read a printer's secret, forget it with the printer). */
export interface FleetCredentials {
  get(ref: string): Promise<string | null>;
  remove(ref: string): void;
  /** How the secret is kept (for the printer's view; never the secret). */
  protectionOf?(ref: string): NonNullable<PrinterView['credentialStorage']>;
}

const credentialRefOf = (config: PrinterConfig): string | null => ('credentialRef' in config ? config.credentialRef : null);

interface Entry {
  config: PrinterConfig;
  driver: PrinterDriver;
  history: TemperatureHistory;
  console: ConsoleEntry[];
  notice: PrinterNotice | null;
  unsubscribe: () => void;
}

const CONSOLE_LINES = 300;

/**
 * The live printers: one driver per saved printer, their status fanned out as events and their
 * temperatures kept for the charts. Protocol details stay inside the drivers.
 */
export class Fleet {
  private readonly entries = new Map<string, Entry>();
  // In-process observers (the farm's dispatcher): status per printer, print ends, and the list changing.
  private readonly statusObservers = new Set<(printerId: string, status: PrinterStatus) => void>();
  private readonly jobEndObservers = new Set<(printerId: string, end: JobEnd) => void>();
  private readonly changeObservers = new Set<() => void>();

  constructor(
    private readonly configs: PrinterConfigs,
    private readonly createDriver: DriverFactory,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly credentials: FleetCredentials | null = null,
  ) {}

  /** Creates a driver for every saved printer and starts connecting; failures show up as offline states. */
  start(): void {
    for (const config of this.configs.all()) this.attach(config);
  }

  list(): PrinterView[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  get(id: string): PrinterView {
    return this.view(this.entry(id));
  }

  /** A saved printer's config (how to reach it; never its secret, only the reference to it). */
  configOf(id: string): PrinterConfig {
    return this.entry(id).config;
  }

  savedConfigs(): readonly PrinterConfig[] {
    return this.configs.all();
  }

  temperatureHistory(id: string): TemperatureSample[] {
    return this.entry(id).history.all();
  }

  addVirtual(name: string): PrinterView {
    return this.addPrinter({ kind: 'virtual', name, embedded: false });
  }

  /** Saves a new printer, starts its driver connecting, and announces the new list. */
  addPrinter(config: NewPrinterConfig): PrinterView {
    const entry = this.attach(this.configs.add(config));
    this.announce();
    return this.view(entry);
  }

  async remove(id: string): Promise<void> {
    const entry = this.entry(id);
    this.entries.delete(id);
    this.configs.remove(id);
    entry.unsubscribe();
    await entry.driver.dispose().catch(() => undefined);
    const ref = credentialRefOf(entry.config);
    if (ref) this.credentials?.remove(ref);
    this.announce();
  }

  /**
   * Points a network printer at a newly entered key and reconnects it with a fresh driver (no backoff, no
   * stale refusal). Refused while it prints. Returns the reference it replaced so the caller can drop it.
   */
  async replaceCredential(id: string, credentialRef: string): Promise<{ printer: PrinterView; previousRef: string | null }> {
    const entry = this.entry(id);
    const config = entry.config;
    if (!('credentialRef' in config)) throw new AppError('invalid_input', `${config.name} does not use a key or access code.`);
    const printer = await this.reconfigure(id, { ...config, credentialRef }, 'Enter its key again after the print ends.');
    return { printer, previousRef: config.credentialRef };
  }

  /**
   * Saves a changed config for a printer (same id and kind) and restarts its driver with it: the printer
   * keeps its place in the list and its temperature history. Refused while it prints, since restarting the
   * driver would drop the link mid-print; `whilePrinting` tells the user what to do instead.
   */
  async reconfigure(id: string, updated: PrinterConfig, whilePrinting: string): Promise<PrinterView> {
    const entry = this.entry(id);
    if (updated.id !== id || updated.kind !== entry.config.kind) throw new Error(`reconfigure must keep the printer's id and kind (${id})`);
    const state = entry.driver.status().state;
    if (state.kind === 'printing' || state.kind === 'paused') {
      throw new AppError('conflict', `${entry.config.name} is printing ${state.job.fileName}. ${whilePrinting}`);
    }
    const saved = this.configs.update(updated);
    entry.unsubscribe();
    await entry.driver.dispose().catch(() => undefined);
    // attach() replaces the entry under the same id, so the printer keeps its place in the list.
    const fresh = this.attach(saved, entry.history);
    fresh.notice = entry.notice;
    this.announce();
    return this.view(fresh);
  }

  /** Switches a printer's light; printers without one say so instead of pretending. */
  async setLight(id: string, on: boolean): Promise<void> {
    await this.control(
      id,
      async (d) => {
        if (!d.capabilities.light || !d.setLight) throw new AppError('unsupported', `${this.entry(id).config.name} has no light the app can switch.`);
        await d.setLight(on);
      },
      { evenWhilePrinting: true },
    );
  }

  /**
   * Connects once to a printer that is not saved (its secret given directly, kept nowhere), waits for its first
   * report, and says what it answered; throws the printer's refusal (a refused key, unreachable). Nothing stays.
   */
  async probe(config: NewPrinterConfig, secret: string | null, timeoutMs = 10_000): Promise<PrinterCheck> {
    const driver = this.createDriver({ ...config, id: 'probe' }, { secret: async () => secret });
    try {
      const reported = new Promise<void>((resolve) => {
        const off = driver.onStatus((s) => {
          if (s.state.kind === 'connecting') return;
          off();
          resolve();
        });
      });
      let timer: { cancel(): void } | null = null;
      const tooSlow = new Promise<never>((_, reject) => {
        timer = this.clock.setTimeout(
          () => reject(new AppError('timeout', `${config.name} did not answer within ${timeoutMs / 1000} s. Check the address and that the printer is on.`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([driver.connect().then(() => reported), tooSlow]);
      } finally {
        (timer as { cancel(): void } | null)?.cancel();
      }
      const status = driver.status();
      return { software: status.firmware?.name ?? null, state: status.state.kind };
    } finally {
      await driver.dispose().catch(() => undefined);
    }
  }

  async connect(id: string): Promise<PrinterView> {
    const entry = this.entry(id);
    await entry.driver.connect();
    return this.view(entry);
  }

  async disconnect(id: string): Promise<PrinterView> {
    const entry = this.entry(id);
    await entry.driver.disconnect();
    return this.view(entry);
  }

  async setTemperature(id: string, heater: Heater, celsius: number): Promise<void> {
    await this.online(id).setTemperature(heater, celsius);
  }

  /**
   * Makes a printer safe to leave: both heaters off, then the part fan and the motors where the printer lets
   * the app do them (USB: M104 S0, M140 S0, M107, M84). Refused while it prints: cancelling does that.
   */
  async coolDown(id: string): Promise<CoolDownReport> {
    return this.control(id, async (d) => {
      const name = this.entry(id).config.name;
      if (!d.capabilities.setTemperature) {
        throw new AppError('unsupported', `${name} does not let the app switch its heaters off. Switch them off on the printer itself.`);
      }
      const { hotend, bed } = d.status().temperatures;
      await d.setTemperature('hotend', 0);
      await d.setTemperature('bed', 0);
      if (d.capabilities.fan) await d.setFan(0);
      if (d.capabilities.motorsOff) await d.motorsOff();
      this.note(id, 'Heaters and part fan switched off, motors released.');
      return { hotend: hotend && { ...hotend }, bed: bed && { ...bed }, fanOff: d.capabilities.fan, motorsOff: d.capabilities.motorsOff };
    });
  }

  /** Shows (or with null clears) a notice on the printer until the user dismisses it. */
  setNotice(id: string, notice: PrinterNotice | null): void {
    const entry = this.entry(id);
    entry.notice = notice;
    this.announce();
  }

  async home(id: string, axes: readonly Axis[]): Promise<void> {
    await this.control(id, (d) => d.home(axes));
  }

  /**
   * Runs a command on a connected printer. Manual moves, extrusion and raw commands are refused while a
   * print runs (they would ruin it); pause, resume, cancel and the emergency stop say `evenWhilePrinting`.
   */
  async control<T>(id: string, action: (driver: PrinterDriver) => Promise<T>, opts: { evenWhilePrinting?: boolean } = {}): Promise<T> {
    const driver = this.online(id);
    const state = driver.status().state;
    if (!opts.evenWhilePrinting && (state.kind === 'printing' || state.kind === 'paused')) {
      throw new AppError('conflict', `${this.entry(id).config.name} is printing ${state.job.fileName}. Pause or cancel the print before moving it by hand.`);
    }
    return action(driver);
  }

  /** Starts printing a file on a connected printer (the queue's dispatcher calls this). */
  async startPrint(id: string, source: PrintSource): Promise<void> {
    await this.online(id).startPrint(source);
  }

  async cancelPrint(id: string): Promise<void> {
    await this.control(id, (d) => d.cancel(), { evenWhilePrinting: true });
  }

  onPrinterStatus(listener: (printerId: string, status: PrinterStatus) => void): () => void {
    this.statusObservers.add(listener);
    return () => void this.statusObservers.delete(listener);
  }

  /** How every print on every printer ended, however it was started. */
  onJobEnd(listener: (printerId: string, end: JobEnd) => void): () => void {
    this.jobEndObservers.add(listener);
    return () => void this.jobEndObservers.delete(listener);
  }

  /** A printer was added or removed. */
  onPrintersChanged(listener: () => void): () => void {
    this.changeObservers.add(listener);
    return () => void this.changeObservers.delete(listener);
  }

  consoleHistory(id: string): ConsoleEntry[] {
    return [...this.entry(id).console];
  }

  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      entries.map(async (e) => {
        e.unsubscribe();
        await e.driver.dispose().catch(() => undefined);
      }),
    );
  }

  private attach(config: PrinterConfig, history = new TemperatureHistory()): Entry {
    const ref = credentialRefOf(config);
    const secret = async () => {
      if (!ref || !this.credentials) return null;
      const held = await this.credentials.get(ref);
      // A key saved for the session only, or one this computer cannot decrypt: the user must enter it again.
      if (held === null) throw new CredentialError('missing', 'key', 'The key for this printer is not held on this computer.');
      return held;
    };
    const driver = this.createDriver(config, { secret });
    // Capabilities can change at run time (a Bambu printer that refuses control becomes a monitor): the list
    // event carries them, so send it again when they do, or the UI keeps offering controls that will fail.
    let knownCapabilities = JSON.stringify(driver.capabilities);
    const offStatus = driver.onStatus((status) => {
      const sample = history.record(status, this.clock.now());
      this.bus.emit('printer.status', { printerId: config.id, status, sample });
      const capabilities = JSON.stringify(driver.capabilities);
      if (capabilities !== knownCapabilities) {
        knownCapabilities = capabilities;
        if (this.entries.get(config.id)?.driver === driver) this.announce();
      }
      for (const observe of this.statusObservers) observe(config.id, status);
    });
    const offJobEnd = driver.onJobEnd((end) => {
      for (const observe of this.jobEndObservers) observe(config.id, end);
    });
    const consoleLines: ConsoleEntry[] = [];
    const offConsole = driver.onConsole((line) => {
      consoleLines.push(line);
      if (consoleLines.length > CONSOLE_LINES) consoleLines.splice(0, consoleLines.length - CONSOLE_LINES);
      this.bus.emit('printer.console', { printerId: config.id, entry: line });
    });
    const entry: Entry = { config, driver, history, console: consoleLines, notice: null, unsubscribe: () => (offStatus(), offConsole(), offJobEnd()) };
    this.entries.set(config.id, entry);
    driver.connect().catch(() => {
      // The driver reports the failure as an offline state with its reason; nothing else to do here.
    });
    return entry;
  }

  /** A line in the printer's console from the app itself. */
  private note(id: string, line: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const info: ConsoleEntry = { at: this.clock.now(), direction: 'info', line };
    entry.console.push(info);
    if (entry.console.length > CONSOLE_LINES) entry.console.splice(0, entry.console.length - CONSOLE_LINES);
    this.bus.emit('printer.console', { printerId: id, entry: info });
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new AppError('not_found', 'That printer no longer exists. It may have been removed in another window.');
    return entry;
  }

  private online(id: string): PrinterDriver {
    const entry = this.entry(id);
    const state = entry.driver.status().state;
    if (state.kind === 'offline' || state.kind === 'connecting') {
      const why = state.kind === 'offline' && state.reason ? `: ${state.reason}` : '';
      throw new AppError('printer_offline', `${entry.config.name} is not connected${why}. Connect it and try again.`);
    }
    return entry.driver;
  }

  private view(entry: Entry): PrinterView {
    const ref = credentialRefOf(entry.config);
    const credentialStorage = ref && this.credentials?.protectionOf ? this.credentials.protectionOf(ref) : undefined;
    return {
      id: entry.config.id,
      name: entry.config.name,
      kind: entry.config.kind,
      embedded: entry.config.embedded,
      capabilities: entry.driver.capabilities,
      status: entry.driver.status(),
      notice: entry.notice,
      ...(credentialStorage ? { credentialStorage } : {}),
    };
  }

  private announce(): void {
    this.bus.emit('printers.changed', { printers: this.list() });
    for (const observe of this.changeObservers) observe();
  }
}
