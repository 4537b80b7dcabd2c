import type { PrinterStatus, TemperatureSample } from './model';

/**
 * A bounded ring of temperature samples per printer, for the chart a page shows when it opens.
 * Samples closer together than `minIntervalMs` are dropped so a chatty firmware cannot flood memory.
 */
export class TemperatureHistory {
  private readonly samples: TemperatureSample[] = [];

  constructor(
    private readonly capacity = 1200,
    private readonly minIntervalMs = 500,
  ) {}

  /** Returns the sample it recorded, or null when it skipped this one. */
  record(status: PrinterStatus, at: number): TemperatureSample | null {
    const { hotend, bed } = status.temperatures;
    if (!hotend && !bed) return null;
    const last = this.samples.at(-1);
    if (last && at - last.t < this.minIntervalMs) return null;
    const sample: TemperatureSample = { t: at, hotend: hotend ? { ...hotend } : null, bed: bed ? { ...bed } : null };
    this.samples.push(sample);
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
    return sample;
  }

  all(): TemperatureSample[] {
    return [...this.samples];
  }
}
