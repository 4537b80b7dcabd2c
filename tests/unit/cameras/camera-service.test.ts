import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES, ROLE_CAPABILITIES, type CameraView } from '../../../electron/core/contract';
import type { Watch } from '../../../electron/core/cameras/relay';
import { isJpeg } from '../../../electron/core/cameras/camera-source';
import { startMjpegPeer, type MjpegPeer } from '../../peers/mjpeg-peer';
import { startMoonrakerPeer, type MoonrakerPeer } from '../../peers/moonraker-peer';
import { startOctoPrintPeer, type OctoPrintPeer } from '../../peers/octoprint-peer';
import { coreCalls } from '../../support/core-calls';
import { createTestCore, type TestCore } from '../../support/test-core';

let cam: MjpegPeer;
let locked: MjpegPeer;
let moon: MoonrakerPeer;
let octo: OctoPrintPeer;
let t: TestCore;
const { call } = coreCalls(() => t.core);

beforeAll(async () => {
  [cam, locked] = await Promise.all([startMjpegPeer({ fps: 20 }), startMjpegPeer({ fps: 20, auth: { username: 'viewer', password: 'Cam-Pw-7731' } })]);
  [moon, octo] = await Promise.all([
    startMoonrakerPeer({ apiKey: 'MOON-KEY', webcams: [{ name: 'Nozzle cam', service: 'mjpegstreamer', stream_url: cam.streamUrl, snapshot_url: cam.snapshotUrl }] }),
    startOctoPrintPeer({ apiKey: 'OCTO-KEY', webcam: { streamUrl: cam.streamUrl, snapshotUrl: cam.snapshotUrl } }),
  ]);
});
afterAll(async () => {
  await Promise.all([cam, locked, moon, octo].map((p) => p?.close()));
});
afterEach(async () => {
  await t?.core.close();
});

/** Watches a camera through the core until `n` frames arrived. */
function frames(cameraId: string, n: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    let watch: Watch | null = null;
    t.core
      .watchCamera(cameraId, {
        send: (f, done) => {
          got.push(f);
          done();
          if (got.length === n) {
            watch?.close();
            resolve(got);
          }
        },
        failed: (e) => reject(e),
      })
      .then((w) => (watch = w), reject);
  });
}

describe('cameras of a printer', () => {
  it('lists the webcam a Moonraker printer announces as soon as it is added, with no extra typing, and streams it', async () => {
    t = createTestCore({ seed: false });
    const { printer } = await call('printers.add', { kind: 'moonraker', name: 'Voron', url: moon.url, secret: 'MOON-KEY' });
    const cams = await call('cameras.list', { printerId: printer.id });
    expect(cams).toMatchObject([{ name: 'Nozzle cam', kind: 'mjpeg', origin: 'printer', removable: false, problem: null }]);
    expect(cams[0]!.where).toBe(cam.origin);
    expect(cams[0]!.streamPath).toBe(`/camera/${cams[0]!.id}/stream`);
    const got = await frames(cams[0]!.id, 2);
    expect(got.every(isJpeg)).toBe(true);
  });

  it("lists the webcam in an OctoPrint printer's settings", async () => {
    t = createTestCore({ seed: false });
    const { printer } = await call('printers.add', { kind: 'octoprint', name: 'Prusa MK3', url: octo.url, secret: 'OCTO-KEY' });
    expect(await call('cameras.list', { printerId: printer.id })).toMatchObject([{ name: 'Webcam', kind: 'mjpeg', origin: 'printer' }]);
  });

  it('opens one upstream for many viewers of a camera', async () => {
    t = createTestCore({ seed: false });
    const { printer } = await call('printers.add', { kind: 'moonraker', name: 'Voron', url: moon.url, secret: 'MOON-KEY' });
    const [c] = await call('cameras.list', { printerId: printer.id });
    const before = cam.streamsOpened;
    await Promise.all([frames(c!.id, 3), frames(c!.id, 3), frames(c!.id, 3)]);
    expect(cam.streamsOpened - before).toBe(1);
  });

  it('keeps a password given in the camera URL in core: not in the list, not in the saved settings, yet sent to the camera', async () => {
    t = createTestCore({ seed: false });
    const { printer } = await call('printers.add', { kind: 'moonraker', name: 'Voron', url: moon.url, secret: 'MOON-KEY' });
    const url = locked.streamUrl.replace('http://', 'http://viewer:Cam-Pw-7731@');
    const added = await call('cameras.add', { printerId: printer.id, name: 'Bed cam', kind: 'mjpeg', url });
    const listed = await call('cameras.list', { printerId: printer.id });
    for (const text of [JSON.stringify(added), JSON.stringify(listed), JSON.stringify(t.settings.get('cameras.saved'))]) {
      expect(text).not.toContain('Cam-Pw-7731');
      expect(text).not.toContain('viewer:');
    }
    expect(added.camera).toMatchObject({ origin: 'manual', removable: true, where: locked.origin });
    // No keyring in a test core: the password lasts for the session, and the answer says so for the UI to show.
    expect(added.credential).toMatchObject({ protection: 'session-only', message: expect.any(String) });
    const refusedBefore = locked.refused;
    expect((await frames(added.camera.id, 1)).every(isJpeg)).toBe(true);
    expect(locked.refused).toBe(refusedBefore);
  });

  it('records adding and removing a camera in the audit log without its address or password', async () => {
    t = createTestCore({ seed: false });
    const { printer } = await call('printers.add', { kind: 'moonraker', name: 'Voron', url: moon.url, secret: 'MOON-KEY' });
    const { camera: added } = await call('cameras.add', { printerId: printer.id, name: 'Door', kind: 'mjpeg', url: `http://u:Door-Pw-19@127.0.0.1:9/?action=stream` });
    await call('cameras.remove', { cameraId: added.id });
    const log = await call('access.audit');
    const text = JSON.stringify(log);
    expect(text).not.toContain('Door-Pw-19');
    expect(text).not.toContain('127.0.0.1:9');
    expect(log.map((e) => [e.method, e.summary])).toEqual(
      expect.arrayContaining([
        ['cameras.add', expect.stringContaining('url=…')],
        ['cameras.remove', `cameraId="${added.id}"`],
      ]),
    );
  });

  it('refuses a camera address that is not http(s), saying what one looks like', async () => {
    t = createTestCore({ seed: false });
    const out = await t.core.dispatch('cameras.add', { printerId: 'prn_x', name: 'c', kind: 'mjpeg', url: 'rtsp://10.0.0.2/live' }, { capabilities: new Set(CAPABILITIES) });
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(out)).toContain('starts with http:// or https://');
  });

  it('adds a USB webcam by its device path only, never another file', async () => {
    t = createTestCore({ seed: false });
    const printer = await call('printers.addVirtual', { name: 'Bench' });
    const { camera: added } = await call('cameras.add', { printerId: printer.id, name: 'Bed', kind: 'usb', device: '/dev/video0' });
    expect(added).toMatchObject({ kind: 'usb', where: '/dev/video0', origin: 'manual' });
    const out = await t.core.dispatch('cameras.add', { printerId: printer.id, name: 'x', kind: 'usb', device: '/etc/passwd' }, { capabilities: new Set(CAPABILITIES) });
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('lets a viewer list cameras but not add or remove them', async () => {
    t = createTestCore({ seed: false });
    const viewer = { capabilities: new Set(ROLE_CAPABILITIES.viewer) };
    expect((await t.core.dispatch('cameras.list', {}, viewer)).ok).toBe(true);
    const add = await t.core.dispatch('cameras.add', { printerId: 'p', name: 'c', kind: 'mjpeg', url: cam.streamUrl }, viewer);
    const remove = await t.core.dispatch('cameras.remove', { cameraId: 'cam_x' }, viewer);
    expect([add, remove]).toMatchObject([
      { ok: false, error: { code: 'forbidden' } },
      { ok: false, error: { code: 'forbidden' } },
    ]);
  });

  it("removes a printer's cameras with it, and refuses to remove a camera the printer announces", async () => {
    t = createTestCore({ seed: false });
    const { printer } = await call('printers.add', { kind: 'moonraker', name: 'Voron', url: moon.url, secret: 'MOON-KEY' });
    const announced = (await call('cameras.list', { printerId: printer.id }))[0]!;
    await expect(call('cameras.remove', { cameraId: announced.id })).rejects.toThrow(/comes from the printer itself/);
    await call('cameras.add', { printerId: printer.id, name: 'Extra', kind: 'snapshot', url: cam.snapshotUrl });
    await call('printers.remove', { printerId: printer.id });
    expect(await call('cameras.list')).toEqual([]);
    expect(t.settings.get('cameras.saved')).toEqual([]);
  });

  it("offers a Bambu P1's built-in camera, and says plainly what to do for an X1's", async () => {
    t = createTestCore({ seed: false });
    const base = { kind: 'bambu', host: '127.0.0.1', secret: '12345678' } as const;
    await call('printers.add', { ...base, name: 'P1S', serial: '01P00A000000001' });
    await call('printers.add', { ...base, name: 'X1C', serial: '00M00A000000002', mqttPort: 8884 });
    const cams: CameraView[] = await call('cameras.list');
    expect(cams).toMatchObject([
      { name: 'Built-in camera', kind: 'bambu', origin: 'built-in', problem: null, where: '127.0.0.1, port 6000 (TLS)' },
      { name: 'Built-in camera', kind: 'bambu', streamPath: null, problem: expect.stringMatching(/RTSPS \(port 322\).*Add a snapshot or MJPEG URL/) },
    ]);
  });
});
