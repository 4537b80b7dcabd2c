import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import { PrusaLinkDriver } from '../../../electron/core/printers/prusalink/driver';
import { startPrusaLinkPeer, type PrusaLinkPeer } from '../../peers/prusalink-peer';
import { ManualClock } from '../../support/manual-clock';
import { fastBackoff, GCODE, memorySource, nextJobEnd, pauseResumeCancel, silenceUntilOffline, stateKind, waitForStatus } from './support';

let peer: PrusaLinkPeer;
let driver: PrusaLinkDriver;
afterEach(async () => {
  await driver?.dispose();
  await peer?.close();
});

async function connected(auth: 'digest' | 'apikey' = 'digest', secret = 'maker-pass') {
  peer = await startPrusaLinkPeer({ password: 'maker-pass', apiKey: 'PL-KEY' });
  driver = new PrusaLinkDriver({ baseUrl: peer.url, auth, username: 'maker', storage: 'usb', pollMs: 20, backoff: fastBackoff, secret: async () => secret });
  await driver.connect();
  return driver;
}

describe('PrusaLink driver', () => {
  it("starts a file once the printer leaves the last print's FINISHED state, uploading it once (409 Printer is not in state to print)", async () => {
    peer = await startPrusaLinkPeer({ apiKey: 'PL-KEY', finishedHoldMs: 1500 });
    driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'apikey', username: 'maker', pollMs: 20, backoff: fastBackoff, secret: async () => 'PL-KEY' });
    const notes: string[] = [];
    driver.onConsole((e) => notes.push(e.line));
    await driver.connect();
    await driver.startPrint(memorySource('first.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing first');
    peer.printer.finish();
    await waitForStatus(driver, stateKind('idle'), 'idle after first');
    await driver.startPrint(memorySource('second.gcode', GCODE));
    expect(notes.some((n) => /stored second\.gcode but did not start it yet \(Printer is not in state to print\)/.test(n))).toBe(true);
    const s = await waitForStatus(driver, stateKind('printing'), 'printing second');
    expect(s.state.kind === 'printing' && s.state.job.fileName).toBe('second.gcode');
    expect(peer.uploads).toHaveLength(2);
  });

  it("uploads a file whose name PrusaLink forbids under a name it accepts, and shows the user's name (400 Forbidden Characters)", async () => {
    await connected('apikey', 'PL-KEY');
    await driver.startPrint(memorySource('50% cube #2.gcode', GCODE));
    expect([...peer.printer.files.keys()]).toEqual(['50_ cube _2.gcode']);
    const s = await waitForStatus(driver, stateKind('printing'), 'printing');
    expect(s.state.kind === 'printing' && s.state.job.fileName).toBe('50% cube #2.gcode');
  });

  it('signs in with HTTP digest and shows polled temperatures', async () => {
    await connected();
    expect(driver.status().state.kind).toBe('idle');
    peer.printer.setTemperatures(215, 60);
    const s = await waitForStatus(driver, (s) => s.temperatures.hotend?.actual === 215, 'nozzle 215');
    expect(s.temperatures.bed?.actual).toBe(60);
  });

  it.each(['MD5-sess', 'MD5', 'SHA-256', 'SHA-256-sess'] as const)(
    'signs in with the password whatever digest algorithm the printer asks for: %s (RFC 7616; real PrusaLink asks MD5-sess)',
    async (algorithm) => {
      peer = await startPrusaLinkPeer({ password: 'maker-pass', algorithm });
      driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'digest', username: 'maker', pollMs: 20, backoff: fastBackoff, secret: async () => 'maker-pass' });
      await driver.connect();
      // Several polls with one nonce: the nonce count grows and the printer keeps accepting.
      peer.printer.setTemperatures(201, 61);
      await waitForStatus(driver, (s) => s.temperatures.hotend?.actual === 201, 'nozzle 201');
      expect(driver.status().state.kind).toBe('idle');
    },
  );

  it('signs in with another digest user name than maker', async () => {
    peer = await startPrusaLinkPeer({ password: 'pw', username: 'workshop' });
    driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'digest', username: 'workshop', pollMs: 20, backoff: fastBackoff, secret: async () => 'pw' });
    await driver.connect();
    expect(driver.status().state.kind).toBe('idle');
  });

  it('answers a stale nonce again without failing the request', async () => {
    await connected();
    peer.rotateNonce();
    peer.printer.setTemperatures(100, 40);
    await waitForStatus(driver, (s) => s.temperatures.hotend?.actual === 100, 'nozzle 100 after new nonce');
    expect(driver.status().state.kind).toBe('idle');
  });

  it('uploads with Print-After-Upload and pauses, resumes and stops the job by id', async () => {
    await connected('apikey', 'PL-KEY');
    await driver.startPrint(memorySource('shelf.gcode', GCODE));
    expect(peer.printer.files.get('shelf.gcode')?.toString()).toBe(GCODE);
    const printing = await waitForStatus(driver, stateKind('printing'), 'printing');
    expect(printing.state.kind === 'printing' && printing.state.job.fileName).toBe('shelf.gcode');
    peer.printer.advance(0.3);
    await waitForStatus(driver, (s) => s.state.kind === 'printing' && Math.abs(s.state.job.fraction - 0.3) < 1e-9, 'progress 30 %');
    const ended = pauseResumeCancel(driver);
    expect((await ended).outcome).toEqual({ kind: 'cancelled' });
  });

  it('hides controls PrusaLink cannot perform and refuses them plainly', async () => {
    await connected();
    expect(driver.capabilities).toMatchObject({ print: true, setTemperature: false, jog: false, console: false });
    await expect(driver.setTemperature('hotend', 200)).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('marks the job interrupted when the printer stops answering and recovers', async () => {
    await connected();
    await driver.startPrint(memorySource('drop.gcode', GCODE));
    await waitForStatus(driver, stateKind('printing'), 'printing');
    const ended = nextJobEnd(driver);
    peer.refuse(true);
    peer.dropConnections();
    expect((await ended).outcome).toMatchObject({ kind: 'interrupted' });
    await waitForStatus(driver, stateKind('offline'), 'offline');
    peer.refuse(false);
    await waitForStatus(driver, stateKind('printing'), 'printing after reconnect');
  });

  it('uploads to local storage on a Prusa Link that has no USB drive, even with usb configured', async () => {
    peer = await startPrusaLinkPeer({ apiKey: 'PL-KEY', storages: [{ name: 'local' }] });
    driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'apikey', username: 'maker', storage: 'usb', pollMs: 20, backoff: fastBackoff, secret: async () => 'PL-KEY' });
    await driver.connect();
    await driver.startPrint(memorySource('pi.gcode', GCODE));
    expect(peer.uploads).toEqual(['local']);
    expect(peer.printer.files.get('pi.gcode')?.toString()).toBe(GCODE);
    await waitForStatus(driver, stateKind('printing'), 'printing from local storage');
  });

  it('uploads to the USB drive on a printer that has one, and skips storage that is not inserted', async () => {
    peer = await startPrusaLinkPeer({ apiKey: 'PL-KEY', storages: [{ name: 'local', available: false }, { name: 'usb' }] });
    driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'apikey', username: 'maker', pollMs: 20, backoff: fastBackoff, secret: async () => 'PL-KEY' });
    await driver.connect();
    await driver.startPrint(memorySource('mk4.gcode', GCODE));
    expect(peer.uploads).toEqual(['usb']);
  });

  it('says so when the printer has no storage it can write to, instead of uploading blind', async () => {
    peer = await startPrusaLinkPeer({ apiKey: 'PL-KEY', storages: [{ name: 'usb', available: false }] });
    driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'apikey', username: 'maker', pollMs: 20, backoff: fastBackoff, secret: async () => 'PL-KEY' });
    await driver.connect();
    const err = await driver.startPrint(memorySource('none.gcode', GCODE)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'printer_error', message: expect.stringContaining('USB drive') });
    expect(peer.uploads).toEqual([]);
  });

  it('shows a PrusaLink that stops answering offline after at most 5 s of silence', async () => {
    const clock = new ManualClock();
    peer = await startPrusaLinkPeer({ apiKey: 'PL-KEY' });
    driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'apikey', username: 'maker', clock, backoff: fastBackoff, secret: async () => 'PL-KEY' });
    await driver.connect();
    expect(driver.status().state.kind).toBe('idle');
    peer.stall(true);
    expect(await silenceUntilOffline(driver, clock)).toBeLessThanOrEqual(5000);
    expect(driver.status().state).toMatchObject({ kind: 'offline', reason: expect.stringContaining('PrusaLink') });
  });

  it('says the password was refused without showing it', async () => {
    peer = await startPrusaLinkPeer({ password: 'maker-pass' });
    driver = new PrusaLinkDriver({ baseUrl: peer.url, auth: 'digest', username: 'maker', storage: 'usb', backoff: fastBackoff, secret: async () => 'nope-pass-1' });
    const err = await driver.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/refused the password/);
    expect((err as AppError).message).not.toContain('nope-pass-1');
  });
});
