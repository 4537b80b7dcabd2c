import type { PrintSource, PrinterDriver } from '../../../electron/core/printers/driver';
import type { JobEnd, PrinterStatus } from '../../../electron/core/printers/model';

/** Resolves with the first status (current or future) that satisfies `pred`; rejects with the last one seen after `ms`. */
export function waitForStatus(driver: PrinterDriver, pred: (s: PrinterStatus) => boolean, what: string, ms = 4000): Promise<PrinterStatus> {
  const now = driver.status();
  if (pred(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    let last = now;
    const off = driver.onStatus((s) => {
      last = s;
      if (pred(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
    const timer = setTimeout(() => {
      off();
      reject(new Error(`Timed out waiting for ${what}; last state ${JSON.stringify(last.state)}`));
    }, ms);
  });
}

export function nextJobEnd(driver: PrinterDriver, ms = 4000): Promise<JobEnd> {
  return new Promise((resolve, reject) => {
    const off = driver.onJobEnd((e) => {
      clearTimeout(timer);
      off();
      resolve(e);
    });
    const timer = setTimeout(() => {
      off();
      reject(new Error('Timed out waiting for the job to end'));
    }, ms);
  });
}

export function memorySource(name: string, text: string): PrintSource {
  const bytes = Buffer.from(text);
  return {
    name,
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

export const GCODE = 'G28\nG1 X10 Y10 F3000\nG1 X20 E1\nM104 S0\n';

export const fastBackoff = { initialMs: 20, maxMs: 200, jitter: 0 };

export const stateKind = (k: PrinterStatus['state']['kind']) => (s: PrinterStatus) => s.state.kind === k;

/** Pauses, resumes and cancels a running print the way every network driver must, and returns how it ended. */
export async function pauseResumeCancel(driver: PrinterDriver): Promise<JobEnd> {
  await driver.pause();
  await waitForStatus(driver, stateKind('paused'), 'paused');
  await driver.resume();
  await waitForStatus(driver, stateKind('printing'), 'printing again');
  const ended = nextJobEnd(driver);
  await driver.cancel();
  return ended;
}

/**
 * Advances a manual clock in steps while the printer stays silent, letting the network and promise callbacks
 * run between steps, until the driver shows offline; returns how much silence that took (capped at `maxMs`).
 */
export async function silenceUntilOffline(driver: PrinterDriver, clock: { advance(ms: number): void }, stepMs = 250, maxMs = 20_000): Promise<number> {
  let silent = 0;
  while (driver.status().state.kind !== 'offline' && silent < maxMs) {
    clock.advance(stepMs);
    silent += stepMs;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return silent;
}
