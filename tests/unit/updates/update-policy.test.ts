import { describe, expect, it } from 'vitest';
import type { PrinterKind, PrinterState } from '../../../electron/core/printers/model';
import { isUsbPrintStreaming, NO_UPDATE, nextUpdateStep, type UpdateInput, type UpdateState } from '../../../electron/core/updates/update-policy';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { createTestCore } from '../../support/test-core';

const job = { fileName: 'part.gcode', fraction: 0.4, linesSent: 10, linesTotal: 25, startedAt: 0, remainingSeconds: null };
const printing = (): PrinterState => ({ kind: 'printing', job });
const view = (kind: PrinterKind, state: PrinterState) => ({ kind, status: { state, temperatures: { hotend: null, bed: null }, position: null, firmware: null } });

/** Runs inputs through the policy with a print flag the test flips; returns the effects in order. */
function run(inputs: Array<UpdateInput | { streaming: boolean }>, start: UpdateState = NO_UPDATE) {
  let state = start;
  let streaming = false;
  const effects: string[] = [];
  for (const input of inputs) {
    if ('streaming' in input) {
      streaming = input.streaming;
      continue;
    }
    const next = nextUpdateStep(state, input, () => streaming);
    state = next.state;
    if (next.effect) effects.push(`${next.effect.do} ${next.effect.version}`);
  }
  return { state, effects };
}

describe('the update policy', () => {
  it('asks at once when an update is downloaded and no USB print is running', () => {
    expect(run([{ type: 'downloaded', version: '1.2.0' }])).toEqual({ state: { phase: 'asking', version: '1.2.0' }, effects: ['ask 1.2.0'] });
  });

  it('installs only after the user says restart', () => {
    expect(
      run([
        { type: 'downloaded', version: '1.2.0' },
        { type: 'answered', restart: true },
      ]).effects,
    ).toEqual(['ask 1.2.0', 'install 1.2.0']);
  });

  it('never asks while a USB print streams, and asks when it ends', () => {
    const during = run([{ streaming: true }, { type: 'downloaded', version: '1.2.0' }, { type: 'prints-changed' }]);
    expect(during).toEqual({ state: { phase: 'waiting-for-prints', version: '1.2.0' }, effects: [] });
    const after = run([{ streaming: true }, { type: 'downloaded', version: '1.2.0' }, { type: 'prints-changed' }, { streaming: false }, { type: 'prints-changed' }]);
    expect(after.effects).toEqual(['ask 1.2.0']);
  });

  it('does not restart when a print started while the question was open, and asks again after it', () => {
    const r = run([
      { type: 'downloaded', version: '1.2.0' },
      { streaming: true },
      { type: 'answered', restart: true },
      { type: 'prints-changed' },
      { streaming: false },
      { type: 'prints-changed' },
    ]);
    expect(r.effects).toEqual(['ask 1.2.0', 'ask 1.2.0']);
    expect(r.state.phase).toBe('asking');
  });

  it('leaves a put-off update for the next quit and does not nag about it', () => {
    const r = run([{ type: 'downloaded', version: '1.2.0' }, { type: 'answered', restart: false }, { type: 'prints-changed' }]);
    expect(r).toEqual({ state: { phase: 'later', version: '1.2.0' }, effects: ['ask 1.2.0'] });
  });

  it('asks again for a newer version after one was put off, but not over a question already open', () => {
    expect(
      run([
        { type: 'downloaded', version: '1.2.0' },
        { type: 'answered', restart: false },
        { type: 'downloaded', version: '1.3.0' },
      ]).effects,
    ).toEqual(['ask 1.2.0', 'ask 1.3.0']);
    expect(
      run([
        { type: 'downloaded', version: '1.2.0' },
        { type: 'downloaded', version: '1.3.0' },
      ]).effects,
    ).toEqual(['ask 1.2.0']);
  });

  it('ignores everything once installing, and answers that come with no question open', () => {
    expect(run([{ type: 'downloaded', version: '2.0.0' }], { phase: 'installing', version: '1.2.0' }).effects).toEqual([]);
    expect(run([{ type: 'answered', restart: true }]).effects).toEqual([]);
  });

  it('asks about prints only when the answer matters', () => {
    let asked = 0;
    nextUpdateStep(NO_UPDATE, { type: 'prints-changed' }, () => ++asked > 0);
    nextUpdateStep({ phase: 'later', version: '1.0.0' }, { type: 'prints-changed' }, () => ++asked > 0);
    expect(asked).toBe(0);
  });
});

describe('a USB print streaming', () => {
  it('is a Marlin printer printing or paused; LAN and virtual printers never hold an update back', () => {
    expect(isUsbPrintStreaming([view('marlin', printing())])).toBe(true);
    expect(isUsbPrintStreaming([view('marlin', { kind: 'paused', job })])).toBe(true);
    expect(isUsbPrintStreaming([view('marlin', { kind: 'idle' }), view('octoprint', printing()), view('bambu', printing()), view('virtual', printing())])).toBe(false);
  });

  it("is what the core reports from its fleet's live states", async () => {
    const settings = createMemorySettingsStore();
    settings.set('printers.saved', [{ id: 'prn_usb', name: 'Bench Marlin', embedded: false, kind: 'marlin', port: '/dev/ttyUSB0', baudRate: 115200 }]);
    const { core, drivers } = createTestCore({ settings, seed: false });
    await expect.poll(() => drivers.length).toBe(1);
    drivers[0]!.push({ state: printing() });
    expect(core.usbPrintStreaming()).toBe(true);
    expect(core.usbPrintsStreaming()).toEqual(['Bench Marlin']);
    drivers[0]!.push({ state: { kind: 'idle' } });
    expect(core.usbPrintStreaming()).toBe(false);
    expect(core.usbPrintsStreaming()).toEqual([]);
    await core.close();
  });
});
