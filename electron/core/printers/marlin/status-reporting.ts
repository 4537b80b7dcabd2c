import type { Clock } from '../../ports/clock';
import { commandCode } from './framing';
import type { LineOrigin } from './host-events';
import { parseResponse, type FirmwareReport, type MarlinResponse } from './responses';

export interface ReportingContext {
  clock: Clock;
  temperatureIntervalS: number;
  positionIntervalS: number;
  send(line: string, origin: LineOrigin): Promise<string[]>;
  isReady(): boolean;
  /** Whether an M105 poll now would only queue behind a blocking command or another M105. */
  pollWouldWait(): boolean;
  identified(info: { report: FirmwareReport; capabilities: Record<string, boolean> }): void;
}

/**
 * What the board says about itself and its state: the M115 firmware report and capabilities, and temperature
 * and position reports, asked for once (M155/M154 auto-reports when offered) or polled with M105.
 */
export class StatusReporting {
  private firmware: FirmwareReport | null = null;
  private capabilities: Record<string, boolean> = {};
  private autoReportingTemperatures = false;
  private autoReportingPosition = false;
  private pollTimer: { cancel(): void } | null = null;

  constructor(private readonly c: ReportingContext) {}

  info(): { report: FirmwareReport; capabilities: Record<string, boolean> } | null {
    return this.firmware ? { report: this.firmware, capabilities: { ...this.capabilities } } : null;
  }

  /** A new session: nothing known about the board. */
  reset(): void {
    this.capabilities = {};
    this.firmware = null;
    this.autoReportingTemperatures = false;
    this.autoReportingPosition = false;
  }

  stopPolling(): void {
    this.pollTimer?.cancel();
    this.pollTimer = null;
  }

  /** A `Cap:` line, wherever it arrived (the M115 answer, or before it). */
  noteCapability(name: string, enabled: boolean): void {
    this.capabilities[name] = enabled;
  }

  /** After the hello: M115 (firmware and capabilities), then temperature and position reporting. */
  async identify(): Promise<void> {
    try {
      const lines = await this.c.send('M115', 'internal');
      const caps: Record<string, boolean> = {};
      let report: FirmwareReport | null = null;
      for (const line of lines) {
        const r = parseResponse(line);
        if (r.kind === 'firmware') report = r.report;
        else if (r.kind === 'capability') caps[r.name] = r.enabled;
      }
      // Capability lines may also have arrived outside the M115 answer (collected as they came).
      this.capabilities = { ...this.capabilities, ...caps };
      this.firmware = report ?? this.firmware ?? { name: 'unknown', machineType: null, fields: {} };
      this.c.identified({ report: this.firmware, capabilities: { ...this.capabilities } });
    } catch (err) {
      if (!this.c.isReady()) throw err;
      // Firmware without M115 still prints; it just gets polled.
    }
    await this.startReporting();
  }

  /**
   * Whether a report is one the firmware prints by itself (M155/M154), not the answer of the command waiting
   * for its ok: that command only asked for it if it is the matching query (or a heating wait, which prints
   * temperatures as it goes).
   */
  isAutoReport(response: MarlinResponse, waitingCommand: string): boolean {
    if (response.kind === 'temperature') return this.autoReportingTemperatures && !/^M10[59]|^M19[01]/.test(waitingCommand);
    if (response.kind === 'position') return this.autoReportingPosition && commandCode(waitingCommand) !== 'M114';
    return false;
  }

  private async startReporting(): Promise<void> {
    const interval = this.c.temperatureIntervalS;
    if (interval > 0 && this.capabilities.AUTOREPORT_TEMP) {
      try {
        await this.c.send(`M155 S${interval}`, 'internal');
        this.autoReportingTemperatures = true;
      } catch {
        this.autoReportingTemperatures = false;
      }
    }
    if (this.c.positionIntervalS > 0 && this.capabilities.AUTOREPORT_POS) {
      try {
        await this.c.send(`M154 S${this.c.positionIntervalS}`, 'internal');
        this.autoReportingPosition = true;
      } catch {
        this.autoReportingPosition = false;
      }
    }
    if (interval > 0 && !this.autoReportingTemperatures) {
      this.pollTimer = this.c.clock.setInterval(() => this.pollTemperatures(), interval * 1000);
      this.pollTemperatures();
    }
  }

  private pollTemperatures(): void {
    if (!this.c.isReady()) return;
    // Never poll behind a blocking command: the poll would sit in the queue and the firmware
    // reports temperatures on its own while M109/M190 wait.
    if (this.c.pollWouldWait()) return;
    this.c.send('M105', 'internal').catch(() => undefined);
  }
}
