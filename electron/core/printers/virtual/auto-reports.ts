import type { Clock } from '../../ports/clock';

/**
 * M155 and M154: temperature and position reports printed every few seconds on the board's own initiative,
 * only while it runs, each as its own chunk of output.
 */
export class AutoReports {
  private temperatureTimer: { cancel(): void } | null = null;
  private positionTimer: { cancel(): void } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly running: () => boolean,
    private readonly print: (report: () => string) => void,
    private readonly reports: { temperature: () => string; position: () => string },
  ) {}

  /** The report every `seconds`; 0 stops it. */
  set(kind: 'temperature' | 'position', seconds: number): void {
    if (kind === 'temperature') {
      this.temperatureTimer?.cancel();
      this.temperatureTimer = this.every(kind, seconds);
    } else {
      this.positionTimer?.cancel();
      this.positionTimer = this.every(kind, seconds);
    }
  }

  private every(kind: 'temperature' | 'position', seconds: number): { cancel(): void } | null {
    return seconds > 0 ? this.clock.setInterval(() => this.report(kind), seconds * 1000) : null;
  }

  stop(): void {
    this.temperatureTimer?.cancel();
    this.temperatureTimer = null;
    this.positionTimer?.cancel();
    this.positionTimer = null;
  }

  private report(kind: 'temperature' | 'position'): void {
    if (!this.running()) return;
    this.print(this.reports[kind]);
  }
}
