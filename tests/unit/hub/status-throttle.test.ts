import { describe, expect, it } from 'vitest';
import type { PrinterStatus } from '../../../electron/core/contract/printer-model';
import type { PrinterStatusMessage } from '../../../electron/core/hub/printer-status';
import { StatusThrottle } from '../../../electron/core/hub/status-throttle';
import { ManualClock } from '../../support/manual-clock';

const job = { fileName: 'cube.gcode', fraction: 0.421, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds: 600 };
const status = (kind: 'idle' | 'printing', nozzle: number): PrinterStatus => ({
  state: kind === 'idle' ? { kind: 'idle' } : { kind: 'printing', job },
  temperatures: { hotend: { actual: nozzle, target: 215 }, bed: { actual: 60, target: 60 } },
  position: null,
  firmware: null,
});

function setup(online = { now: true }) {
  const clock = new ManualClock();
  const sent: PrinterStatusMessage[] = [];
  const throttle = new StatusThrottle(clock, (m) => online.now && (sent.push(m), true));
  return { clock, sent, throttle };
}

describe('printer status to the cloud', () => {
  it("sends a printer's state at once when it changes, and temperatures at most every 5 s, always the latest", () => {
    const { clock, sent, throttle } = setup();
    throttle.update('p1', status('idle', 20));
    throttle.update('p1', status('idle', 21));
    throttle.update('p1', status('idle', 22));
    expect(sent.map((m) => m.temperatures.nozzle)).toEqual([20]);
    throttle.update('p1', status('printing', 23));
    expect(sent.map((m) => m.status)).toEqual(['idle', 'printing']);
    throttle.update('p1', status('printing', 24));
    throttle.update('p1', status('printing', 25));
    clock.advance(4999);
    expect(sent).toHaveLength(2);
    clock.advance(1);
    expect(sent.at(-1)).toMatchObject({ status: 'printing', progress_percentage: 42.1, remaining_time_seconds: 600, temperatures: { nozzle: 25, nozzle_target: 215, bed: 60 } });
    expect(sent).toHaveLength(3);
  });

  it('keeps each printer to its own pace', () => {
    const { sent, throttle } = setup();
    throttle.update('p1', status('idle', 20));
    throttle.update('p2', status('idle', 20));
    expect(sent.map((m) => m.printer_id)).toEqual(['p1', 'p2']);
  });

  it("queues nothing while offline, and sends every printer's latest on reconnect", () => {
    const online = { now: false };
    const { sent, throttle } = setup(online);
    throttle.update('p1', status('idle', 20));
    throttle.update('p1', status('printing', 30));
    throttle.update('p2', status('idle', 40));
    expect(sent).toHaveLength(0);
    online.now = true;
    throttle.flushAll();
    expect(sent.map((m) => [m.printer_id, m.status, m.temperatures.nozzle])).toEqual([
      ['p1', 'printing', 30],
      ['p2', 'idle', 40],
    ]);
  });

  it('sends nothing new for a printer whose report has not changed (drift under a degree), but once a minute all the same', () => {
    const { clock, sent, throttle } = setup();
    throttle.update('p1', status('idle', 20));
    for (let s = 1; s <= 59; s++) {
      clock.advance(1000);
      throttle.update('p1', status('idle', 20 + (s % 2) * 0.4));
    }
    expect(sent).toHaveLength(1);
    clock.advance(1000);
    throttle.update('p1', status('idle', 20.4));
    expect(sent).toHaveLength(2);
    // A degree of change is news again, at the usual pace.
    clock.advance(5000);
    throttle.update('p1', status('idle', 21.5));
    expect(sent.at(-1)?.temperatures.nozzle).toBe(21.5);
  });
});
