import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import type { JobEnd } from '../../../electron/core/printers/model';
import { MoonrakerDriver } from '../../../electron/core/printers/moonraker/driver';
import { startMoonrakerPeer, type MoonrakerPeer } from '../../peers/moonraker-peer';
import { CredentialError } from '../../../electron/core/credentials/credential-error';
import { ManualClock } from '../../support/manual-clock';
import { fastBackoff, GCODE, memorySource, nextJobEnd, pauseResumeCancel, silenceUntilOffline, stateKind, waitForStatus } from './support';

let peer: MoonrakerPeer;
let driver: MoonrakerDriver;
afterEach(async () => {
  await driver?.dispose();
  await peer?.close();
});

async function connected(opts: { apiKey?: string; secret?: string | null; heartbeatMs?: number } = {}) {
  peer = await startMoonrakerPeer(opts.apiKey ? { apiKey: opts.apiKey } : {});
  driver = new MoonrakerDriver({ baseUrl: peer.url, backoff: fastBackoff, heartbeatMs: opts.heartbeatMs ?? 1000, secret: async () => opts.secret ?? null });
  return driver;
}

describe('Moonraker driver', () => {
  it('identifies itself, subscribes and reports live temperatures from status updates', async () => {
    await connected();
    await driver.connect();
    expect(peer.identified[0]).toMatchObject({ client_name: 'AutoPrintFarm', type: 'agent' });
    expect(driver.status().state.kind).toBe('idle');
    peer.printer.setTemperatures(180.5, 55);
    const s = await waitForStatus(driver, (s) => s.temperatures.hotend?.actual === 180.5, 'hotend 180.5');
    expect(s.temperatures.bed).toEqual({ actual: 55, target: 0 });
  });

  it('uploads a file, starts it, and follows pause, resume and cancel to a cancelled job end', async () => {
    await connected();
    await driver.connect();
    await driver.startPrint(memorySource('cube.gcode', GCODE));
    expect(peer.printer.files.get('cube.gcode')?.toString()).toBe(GCODE);
    await waitForStatus(driver, stateKind('printing'), 'printing');
    peer.printer.advance(0.4);
    const s = await waitForStatus(driver, (s) => s.state.kind === 'printing' && s.state.job.fraction === 0.4, 'progress 0.4');
    expect(s.state.kind === 'printing' && s.state.job.fileName).toBe('cube.gcode');
    // Klipper's print_stats.info: layer 20 of 50 at 40 %.
    expect(s.state.kind === 'printing' && s.state.job.layer).toEqual({ current: 20, total: 50 });
    const ended = pauseResumeCancel(driver);
    expect((await ended).outcome).toEqual({ kind: 'cancelled' });
    expect(driver.status().state.kind).toBe('idle');
  });

  it('reports a print that finishes on the printer as completed', async () => {
    await connected();
    await driver.connect();
    await driver.startPrint(memorySource('done.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing');
    const ended = nextJobEnd(driver);
    peer.printer.finish();
    expect(await ended).toMatchObject({ fileName: 'done.gcode', outcome: { kind: 'completed' } });
  });

  it('does not end a new print on the previous print\'s "complete" state', async () => {
    await connected();
    peer.printer.files.set('old.gcode', Buffer.from(GCODE));
    peer.printer.start('old.gcode');
    peer.printer.finish();
    await driver.connect();
    const ends: unknown[] = [];
    driver.onJobEnd((e) => ends.push(e));
    await driver.startPrint(memorySource('new.gcode', GCODE));
    await waitForStatus(driver, (s) => s.state.kind === 'printing' && s.state.job.fileName === 'new.gcode', 'printing new');
    expect(ends).toEqual([]);
  });

  it("reports the end of a print started on the printer itself, with the printer's own outcome, once", async () => {
    await connected();
    await driver.connect();
    const ends: JobEnd[] = [];
    driver.onJobEnd((e) => ends.push(e));
    peer.printer.files.set('by-hand.gcode', Buffer.from(GCODE));
    peer.printer.start('by-hand.gcode');
    await waitForStatus(driver, stateKind('printing'), 'printing by hand');
    const ended = nextJobEnd(driver);
    peer.printer.cancel();
    expect(await ended).toMatchObject({ fileName: 'by-hand.gcode', outcome: { kind: 'cancelled' } });
    peer.printer.setTemperatures(30, 30); // more reports in the same end state
    await waitForStatus(driver, (s) => s.temperatures.hotend?.actual === 30, 'a later report');
    expect(ends).toHaveLength(1);
  });

  it("sends temperatures and console G-code as scripts and returns the printer's reply lines", async () => {
    await connected();
    await driver.connect();
    await driver.setTemperature('hotend', 210);
    await driver.setTemperature('bed', 60);
    expect(peer.printer.hotend.target).toBe(210);
    expect(peer.printer.bed.target).toBe(60);
    const reply = await driver.sendCommand('M105');
    expect(reply[0]).toMatch(/^ok T:\S+ \/210 B:\S+ \/60$/);
    await driver.jog({ x: 5 }, 3000);
    expect(peer.printer.gcode.slice(-3)).toEqual(['G91', 'G1 X5 F3000', 'G90']);
  });

  it('marks a print interrupted when the connection drops, shows offline, and reconnects by itself', async () => {
    await connected();
    await driver.connect();
    await driver.startPrint(memorySource('long.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing');
    const ended = nextJobEnd(driver);
    const offline = waitForStatus(driver, stateKind('offline'), 'offline');
    peer.dropConnections();
    const end = await ended;
    expect(end.outcome).toMatchObject({ kind: 'interrupted', reason: expect.stringContaining('Lost contact') });
    expect((await offline).state).toMatchObject({ kind: 'offline', reason: expect.stringContaining('Retrying') });
    // The printer kept printing on its own; after the reconnect its real state shows again.
    await waitForStatus(driver, stateKind('printing'), 'printing after reconnect');
  });

  it('notices a printer that goes silent through the heartbeat', async () => {
    await connected({ heartbeatMs: 50 });
    await driver.connect();
    peer.refuse();
    peer.freeze();
    const s = await waitForStatus(driver, stateKind('offline'), 'offline');
    expect(s.state).toMatchObject({ reason: expect.stringContaining('stopped answering') });
  });

  it('sends the saved API key and explains a refused one without showing it', async () => {
    await connected({ apiKey: 'right-key', secret: 'wrong-key-123' });
    const err = await driver.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/refused the API key/);
    expect((err as AppError).message).not.toContain('wrong-key-123');
    await driver.dispose();
    driver = new MoonrakerDriver({ baseUrl: peer.url, backoff: fastBackoff, secret: async () => 'right-key' });
    await driver.connect();
    expect(driver.status().state.kind).toBe('idle');
  });

  it('shows a silent Moonraker offline after at most 4 s of silence, and says it stopped answering in one sentence', async () => {
    const clock = new ManualClock();
    peer = await startMoonrakerPeer();
    driver = new MoonrakerDriver({ baseUrl: peer.url, backoff: fastBackoff, clock, secret: async () => null });
    await driver.connect();
    await driver.startPrint(memorySource('silent.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing');
    const ended = nextJobEnd(driver);
    peer.refuse();
    peer.freeze();
    expect(await silenceUntilOffline(driver, clock)).toBeLessThanOrEqual(4000);
    expect(driver.status().state).toMatchObject({ kind: 'offline', reason: expect.stringContaining('stopped answering') });
    const end = await ended;
    expect(end.outcome).toMatchObject({ kind: 'interrupted', reason: expect.stringContaining('stopped answering.') });
    expect(end.outcome.kind === 'interrupted' && end.outcome.reason).not.toMatch(/\.\)|\.\./);
  });

  it('says a Moonraker that wants an API key needs one when none is saved, and offers to enter it (Identify Connection: -32602 Unauthorized)', async () => {
    await connected({ apiKey: 'right-key', secret: null });
    const err = await driver.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialError);
    expect(err).toMatchObject({ problem: 'missing', what: 'API key' });
    expect((err as Error).message).toMatch(/needs an API key/);
    expect((err as Error).message).not.toMatch(/refused/);
    expect(driver.status().state).toMatchObject({ kind: 'offline', credential: { problem: 'missing', what: 'API key' } });
    // Retrying cannot help without a key: it does not knock again.
    await new Promise((r) => setTimeout(r, 300));
    expect(peer.identified).toHaveLength(1);
  });

  it("shows a wrong key as refused, in Moonraker's own words, and does not retry (Identify Connection: -32602 Invalid API Key)", async () => {
    await connected({ apiKey: 'right-key', secret: 'wrong-key-123' });
    await driver.connect().catch(() => undefined);
    expect(driver.status().state).toMatchObject({ kind: 'offline', credential: { problem: 'refused', what: 'API key' }, reason: expect.stringContaining('(Invalid API Key)') });
    await new Promise((r) => setTimeout(r, 300));
    expect(peer.identified).toHaveLength(1);
  });

  it('shows Klipper shut down after an emergency stop as an error state', async () => {
    await connected();
    await driver.connect();
    await driver.emergencyStop();
    const s = await waitForStatus(driver, stateKind('error'), 'error');
    expect(s.state).toMatchObject({ kind: 'error' });
  });
});
