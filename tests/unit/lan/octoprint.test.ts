import { afterEach, describe, expect, it } from 'vitest';
import { CredentialError } from '../../../electron/core/credentials/credential-error';
import { AppError } from '../../../electron/core/errors';
import { OctoPrintDriver } from '../../../electron/core/printers/octoprint/driver';
import { startOctoPrintPeer, type OctoPrintPeer } from '../../peers/octoprint-peer';
import { ManualClock } from '../../support/manual-clock';
import { fastBackoff, GCODE, memorySource, nextJobEnd, pauseResumeCancel, silenceUntilOffline, stateKind, waitForStatus } from './support';

let peer: OctoPrintPeer;
let driver: OctoPrintDriver;
afterEach(async () => {
  await driver?.dispose();
  await peer?.close();
});

async function connected(opts: { push?: boolean; secret?: string } = {}) {
  peer = await startOctoPrintPeer({ apiKey: 'OCTO-KEY-1', ...(opts.push === false ? { push: false } : {}) });
  driver = new OctoPrintDriver({ baseUrl: peer.url, backoff: fastBackoff, pollMs: 30, heartbeatMs: 1000, secret: async () => opts.secret ?? 'OCTO-KEY-1' });
  await driver.connect();
  return driver;
}

describe('OctoPrint driver', () => {
  it("follows a print under the name OctoPrint stored it (feature.enforceReallyUniversalFilenames), shows the user's name, and ends it completed", async () => {
    peer = await startOctoPrintPeer({ apiKey: 'OCTO-KEY-1', universalFilenames: true });
    driver = new OctoPrintDriver({ baseUrl: peer.url, backoff: fastBackoff, pollMs: 30, heartbeatMs: 1000, secret: async () => 'OCTO-KEY-1' });
    await driver.connect();
    const ended = nextJobEnd(driver);
    await driver.startPrint(memorySource('moves 2000 test.gcode', GCODE));
    expect(peer.printer.files.has('moves_2000_test.gcode')).toBe(true);
    const s = await waitForStatus(driver, stateKind('printing'), 'printing');
    expect(s.state.kind === 'printing' && s.state.job.fileName).toBe('moves 2000 test.gcode');
    peer.printer.finish();
    expect(await ended).toMatchObject({ fileName: 'moves 2000 test.gcode', outcome: { kind: 'completed' } });
  });

  it('moves to the key-refused state at once when its key is revoked while connected, closes the session and stops asking (OctoPrint REST API: 403 Invalid API key)', async () => {
    await connected();
    peer.revokeKey();
    // The push socket stays up after a revoke: only a REST call tells.
    const err = await driver.setTemperature('hotend', 200).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialError);
    expect(driver.status().state).toMatchObject({ kind: 'offline', credential: { problem: 'refused', what: 'API key' }, reason: expect.stringContaining('Invalid API key') });
    const commandsBefore = peer.commands.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(driver.status().state).toMatchObject({ kind: 'offline', credential: { problem: 'refused' } });
    expect(peer.commands.length).toBe(commandsBefore);
    await expect(driver.startPrint(memorySource('after.gcode', GCODE))).rejects.toMatchObject({ code: 'printer_offline' });
    expect(peer.printer.files.has('after.gcode')).toBe(false);
  });

  it('ends its own print as interrupted, saying why, when the key is revoked mid-print', async () => {
    await connected();
    await driver.startPrint(memorySource('long.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing');
    const ended = nextJobEnd(driver);
    peer.revokeKey();
    await driver.pause().catch(() => undefined);
    expect(await ended).toMatchObject({ outcome: { kind: 'interrupted', reason: expect.stringMatching(/refused the API key .*may still be printing on its own/) } });
  });

  it('connects with the API key and shows live temperatures from the push socket', async () => {
    await connected();
    expect(driver.status().state.kind).toBe('idle');
    expect(driver.status().firmware?.name).toBe('OctoPrint 1.10.3');
    peer.printer.setTemperatures(199.5, 59);
    const s = await waitForStatus(driver, (s) => s.temperatures.hotend?.actual === 199.5, 'hotend 199.5');
    expect(s.temperatures.bed?.actual).toBe(59);
  });

  it('uploads with print=true, then pauses, resumes and cancels through /api/job', async () => {
    await connected();
    await driver.startPrint(memorySource('benchy.gcode', GCODE));
    expect(peer.printer.files.get('benchy.gcode')?.toString()).toBe(GCODE);
    await waitForStatus(driver, stateKind('printing'), 'printing');
    peer.printer.advance(0.25);
    await waitForStatus(driver, (s) => s.state.kind === 'printing' && s.state.job.fraction === 0.25, 'progress 25 %');
    const ended = pauseResumeCancel(driver);
    expect(await ended).toMatchObject({ fileName: 'benchy.gcode', outcome: { kind: 'cancelled' } });
  });

  it('reports the PrintDone event as a completed job', async () => {
    await connected();
    await driver.startPrint(memorySource('done.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing');
    const ended = nextJobEnd(driver);
    peer.printer.finish();
    expect((await ended).outcome).toEqual({ kind: 'completed' });
  });

  it('falls back to polling when the push socket is missing and still follows a print to its end', async () => {
    await connected({ push: false });
    await driver.startPrint(memorySource('poll.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing (polled)');
    peer.printer.advance(1);
    // Polling infers the outcome from the last progress it saw, so let it see 100 % first.
    await waitForStatus(driver, (s) => s.state.kind === 'printing' && s.state.job.fraction === 1, 'progress 100 %');
    const ended = nextJobEnd(driver);
    peer.printer.finish();
    expect((await ended).outcome).toEqual({ kind: 'completed' });
  });

  it('maps temperatures, homing and console lines onto the REST endpoints', async () => {
    await connected();
    await driver.setTemperature('hotend', 205);
    await driver.setTemperature('bed', 65);
    await driver.home(['x', 'y']);
    await driver.sendCommand('M117 hello');
    expect(peer.commands).toEqual([
      { path: '/api/printer/tool', command: 'target', targets: { tool0: 205 } },
      { path: '/api/printer/bed', command: 'target', target: 65 },
      { path: '/api/printer/printhead', command: 'home', axes: ['x', 'y'] },
      { path: '/api/printer/command', commands: ['M117 hello'] },
    ]);
  });

  it('shows an OctoPrint without its printer as offline with the reason, and refuses a wrong key (OctoPrint REST API, Authorization: 403 for a key it does not know)', async () => {
    await connected();
    peer.setPrinterConnected(false);
    const s = await waitForStatus(driver, stateKind('offline'), 'printer offline');
    expect(s.state).toMatchObject({ reason: expect.stringContaining('not connected to the printer') });
    await driver.dispose();
    driver = new OctoPrintDriver({ baseUrl: peer.url, backoff: fastBackoff, secret: async () => 'bad-key-999' });
    const err = await driver.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/refused the API key \(HTTP 403: Invalid API key\)/);
    expect((err as AppError).message).not.toContain('bad-key-999');
  });

  it('asks OctoPrint to connect its printer with its saved settings when Connect is pressed, and shows it ready', async () => {
    peer = await startOctoPrintPeer({ apiKey: 'OCTO-KEY-1' });
    peer.setPrinterConnected(false);
    driver = new OctoPrintDriver({ baseUrl: peer.url, backoff: fastBackoff, heartbeatMs: 1000, secret: async () => 'OCTO-KEY-1' });
    await driver.connect();
    // Opening the app's link leaves OctoPrint's own serial connection as the user left it.
    expect(driver.status().state).toMatchObject({ kind: 'offline', reason: expect.stringContaining('Press Connect') });
    expect(peer.connectionCommands).toEqual([]);
    await driver.connect();
    expect(peer.connectionCommands).toEqual([{ command: 'connect' }]);
    await waitForStatus(driver, stateKind('idle'), 'idle once OctoPrint reached its printer');
  });

  it('connects OctoPrint to its printer from Connect when polling too', async () => {
    peer = await startOctoPrintPeer({ apiKey: 'OCTO-KEY-1', push: false });
    driver = new OctoPrintDriver({ baseUrl: peer.url, backoff: fastBackoff, pollMs: 20, secret: async () => 'OCTO-KEY-1' });
    await driver.connect();
    peer.setPrinterConnected(false);
    await waitForStatus(driver, stateKind('offline'), 'printer offline (polled)');
    await driver.connect();
    expect(peer.connectionCommands).toEqual([{ command: 'connect' }]);
    await waitForStatus(driver, stateKind('idle'), 'idle after connecting (polled)');
  });

  it('shows a polled OctoPrint that stops answering offline after at most 4 s of silence', async () => {
    const clock = new ManualClock();
    peer = await startOctoPrintPeer({ apiKey: 'OCTO-KEY-1', push: false });
    driver = new OctoPrintDriver({ baseUrl: peer.url, backoff: fastBackoff, clock, secret: async () => 'OCTO-KEY-1' });
    await driver.connect();
    expect(driver.status().state.kind).toBe('idle');
    peer.stall(true);
    expect(await silenceUntilOffline(driver, clock)).toBeLessThanOrEqual(4000);
    expect(driver.status().state).toMatchObject({ kind: 'offline', reason: expect.stringMatching(/OctoPrint/) });
  });

  it('shows OctoPrint with a push socket that goes silent offline after at most 4 s', async () => {
    const clock = new ManualClock();
    peer = await startOctoPrintPeer({ apiKey: 'OCTO-KEY-1' });
    driver = new OctoPrintDriver({ baseUrl: peer.url, backoff: fastBackoff, clock, secret: async () => 'OCTO-KEY-1' });
    await driver.connect();
    peer.stall(true);
    peer.freeze();
    expect(await silenceUntilOffline(driver, clock)).toBeLessThanOrEqual(4000);
    expect(driver.status().state).toMatchObject({ kind: 'offline', reason: expect.stringContaining('stopped answering') });
  });

  it('marks the print interrupted when the connection drops and picks the printer up again', async () => {
    await connected();
    await driver.startPrint(memorySource('drop.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing');
    const ended = nextJobEnd(driver);
    peer.dropConnections();
    expect((await ended).outcome).toMatchObject({ kind: 'interrupted' });
    await waitForStatus(driver, stateKind('offline'), 'offline');
    await waitForStatus(driver, stateKind('printing'), 'printing after reconnect');
  });
});
