import { ManualClock as SharedManualClock } from '../../support/manual-clock';
import type { PrintSource } from '../../../electron/core/printers/driver';

/** The shared test clock (tests/support/manual-clock.ts), starting at 0 as these tests count from it. */
export class ManualClock extends SharedManualClock {
  constructor() {
    super(0);
  }
}

/** A print source over a string, delivered in small chunks so line splitting across chunks is exercised. */
export function textSource(name: string, text: string, chunkSize = 7): PrintSource {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    },
  };
}

/** `count` distinct, easily checked move lines. */
export function gcodeLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `G1 X${i % 200} Y${(i * 7) % 200} E${(i * 0.01).toFixed(2)}`);
}

/** Waits until a condition holds, yielding to the event loop between checks (no wall-clock sleeps). */
export async function until(condition: () => boolean, what = 'condition', maxTurns = 100_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`gave up waiting for ${what}`);
}
