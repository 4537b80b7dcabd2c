import { AppError } from '../../electron/core/errors';
import type { ConsoleEntry, PrinterDriver } from '../../electron/core/printers/driver';
import type { Heater, JobEnd, PrinterCapabilities, PrinterStatus } from '../../electron/core/printers/model';

/** A scripted driver for fleet and host tests: records calls, and lets the test push status changes. */
export class FakeDriver implements PrinterDriver {
  /** Mutable, as a real driver's can change at run time (a Bambu printer that refuses control). */
  capabilities: PrinterCapabilities = {
    setTemperature: true,
    home: true,
    jog: true,
    extrude: true,
    fan: true,
    motorsOff: true,
    console: true,
    emergencyStop: true,
    print: true,
    light: false,
  };
  readonly calls: string[] = [];
  private current: PrinterStatus = { state: { kind: 'offline', reason: null }, temperatures: { hotend: null, bed: null }, position: null, firmware: null };
  private readonly listeners = new Set<(s: PrinterStatus) => void>();
  private readonly consoleListeners = new Set<(e: ConsoleEntry) => void>();
  connectFails: string | null = null;
  disposed = false;

  status() {
    return this.current;
  }
  onStatus(l: (s: PrinterStatus) => void) {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }
  private readonly jobListeners = new Set<(e: JobEnd) => void>();
  onJobEnd(l: (e: JobEnd) => void) {
    this.jobListeners.add(l);
    return () => void this.jobListeners.delete(l);
  }
  endJob(end: JobEnd) {
    for (const l of this.jobListeners) l(end);
  }
  onConsole(l: (e: ConsoleEntry) => void) {
    this.consoleListeners.add(l);
    return () => void this.consoleListeners.delete(l);
  }
  push(patch: Partial<PrinterStatus>) {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l(this.current);
  }
  async connect() {
    this.calls.push('connect');
    if (this.connectFails) {
      this.push({ state: { kind: 'offline', reason: this.connectFails } });
      throw new AppError('printer_offline', this.connectFails);
    }
    this.push({ state: { kind: 'idle' }, temperatures: { hotend: { actual: 21, target: 0 }, bed: { actual: 21, target: 0 } } });
  }
  async disconnect() {
    this.calls.push('disconnect');
    this.push({ state: { kind: 'offline', reason: null } });
  }
  async setTemperature(heater: Heater, celsius: number) {
    this.calls.push(`setTemperature ${heater} ${celsius}`);
  }
  async home(axes: readonly string[]) {
    this.calls.push(`home ${axes.join('')}`);
  }
  async jog() {}
  async extrude() {}
  async setFan(fraction: number) {
    this.calls.push(`setFan ${fraction}`);
  }
  async motorsOff() {
    this.calls.push('motorsOff');
  }
  async sendCommand(line: string) {
    this.calls.push(`send ${line}`);
    return [];
  }
  async emergencyStop() {}
  async startPrint() {}
  async pause() {}
  async resume() {}
  async cancel() {}
  async dispose() {
    this.disposed = true;
  }
}
