import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BambuCameraSource } from '../../../electron/core/cameras/bambu-source';
import { bambuTlsOptions } from '../../../electron/core/printers/bambu/printer-certificate';
import { isJpeg } from '../../../electron/core/cameras/camera-source';
import { MjpegStreamSource } from '../../../electron/core/cameras/mjpeg-source';
import { SnapshotSource } from '../../../electron/core/cameras/snapshot-source';
import { systemClock } from '../../../electron/core/ports/clock';
import { startBambuCameraPeer, type BambuCameraPeer } from '../../peers/bambu-camera-peer';
import { issuePrinterCert, makeTestCa, makeTestCert, type TestCa, type TestCert } from '../../peers/certs';
import { startMjpegPeer, type MjpegPeer } from '../../peers/mjpeg-peer';
import { collectFrames } from './collect-frames';

/** Runs a source until it has given `n` frames or failed. */
const collect = collectFrames;

const label = 'camera "Test" (127.0.0.1)';
let plain: MjpegPeer;
let noLength: MjpegPeer;
let locked: MjpegPeer;
let ca: TestCa;
let cert: TestCert;
let impostorCert: TestCert;
let bambu: BambuCameraPeer;
let impostor: BambuCameraPeer;
const SERIAL = '01P00A000000001';

beforeAll(async () => {
  ca = makeTestCa();
  cert = issuePrinterCert(ca, SERIAL);
  impostorCert = makeTestCert(SERIAL);
  [plain, noLength, locked, bambu, impostor] = await Promise.all([
    startMjpegPeer({ fps: 20 }),
    startMjpegPeer({ fps: 20, noContentLength: true }),
    startMjpegPeer({ fps: 20, auth: { username: 'cam', password: 's3cret-pw' } }),
    startBambuCameraPeer({ cert: cert.cert, key: cert.key, accessCode: 'ACCESS42', fps: 20 }),
    startBambuCameraPeer({ cert: impostorCert.cert, key: impostorCert.key, accessCode: 'ACCESS42', fps: 20 }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain, noLength, locked, bambu, impostor].map((p) => p?.close()));
  cert?.remove();
  impostorCert?.remove();
  ca?.remove();
});

/** The printer's certificate check, with the test CA standing in for Bambu's. */
const tls = () => bambuTlsOptions({ serial: SERIAL, anchors: [ca.pem], pin: null });

describe('MJPEG stream source', () => {
  it('yields distinct JPEG frames from a multipart stream', async () => {
    const { frames, error } = await collect(new MjpegStreamSource({ url: plain.streamUrl, label }), 3);
    expect(error).toBeNull();
    expect(frames.every(isJpeg)).toBe(true);
    expect(new Set(frames.map((f) => f.toString('base64'))).size).toBe(3);
  });

  it('yields frames from a stream whose parts carry no Content-Length', async () => {
    const { frames, error } = await collect(new MjpegStreamSource({ url: noLength.streamUrl, label }), 3);
    expect(error).toBeNull();
    expect(frames.every(isJpeg)).toBe(true);
  });

  it('sends the user name and password as basic auth, and says so when they are refused, without repeating them', async () => {
    const ok = await collect(new MjpegStreamSource({ url: locked.streamUrl, label, credentials: async () => ({ username: 'cam', password: 's3cret-pw' }) }), 1);
    expect(ok.error).toBeNull();
    const refused = await collect(new MjpegStreamSource({ url: locked.streamUrl, label, credentials: async () => ({ username: 'cam', password: 'wrong-pw' }) }), 1);
    expect(refused.error?.message).toMatch(/refused the user name and password \(HTTP 401\)/);
    expect(refused.error?.message).not.toContain('wrong-pw');
  });

  it('points at the snapshot kind when a stream URL gives a single picture', async () => {
    const { error } = await collect(new MjpegStreamSource({ url: plain.snapshotUrl, label }), 1);
    expect(error?.message).toMatch(/single picture: add it as a snapshot URL/);
  });

  it('names the camera, not its address, when nothing listens there', async () => {
    const { error } = await collect(new MjpegStreamSource({ url: 'http://127.0.0.1:1/?action=stream&pwd=hidden', label }), 1);
    expect(error?.code).toBe('printer_offline');
    expect(error?.message).toContain('Nothing is listening at the camera "Test"');
    expect(error?.message).not.toContain('hidden');
  });
});

describe('snapshot source', () => {
  it('polls the snapshot URL for successive pictures', async () => {
    const before = plain.snapshots;
    const source = new SnapshotSource({ url: plain.snapshotUrl, label }, systemClock);
    source.setRate(5);
    const { frames, error } = await collect(source, 2);
    expect(error).toBeNull();
    expect(frames.every(isJpeg)).toBe(true);
    expect(plain.snapshots - before).toBe(2);
  });

  it('fails at once with a clear message when the address is not a picture', async () => {
    const { error } = await collect(new SnapshotSource({ url: `${plain.origin}/nothing`, label }, systemClock), 1);
    expect(error?.message).toMatch(/has no picture at this address \(HTTP 404\)/);
  });
});

describe('Bambu P1/A1 camera source', () => {
  it('sends the hello with the access code and yields the JPEG frames that follow', async () => {
    const { frames, error } = await collect(new BambuCameraSource({ host: '127.0.0.1', port: bambu.port, label, accessCode: async () => 'ACCESS42', tls: tls() }), 3);
    expect(error).toBeNull();
    expect(frames.every(isJpeg)).toBe(true);
  });

  it('says to check the access code when the printer closes the connection on a wrong one', async () => {
    const refusedBefore = bambu.refused;
    const { frames, error } = await collect(new BambuCameraSource({ host: '127.0.0.1', port: bambu.port, label, accessCode: async () => 'WRONG999', tls: tls() }), 1);
    expect(frames).toHaveLength(0);
    expect(bambu.refused).toBe(refusedBefore + 1);
    expect(error?.message).toMatch(/closed the connection without sending a picture\. Check the access code/);
    expect(error?.message).not.toContain('WRONG999');
  });

  it("sends no hello to a camera whose certificate is not the printer's (an impostor), and says so", async () => {
    const { frames, error } = await collect(new BambuCameraSource({ host: '127.0.0.1', port: impostor.port, label, accessCode: async () => 'ACCESS42', tls: tls() }), 1);
    expect(frames).toHaveLength(0);
    expect(impostor.refused).toBe(0);
    expect(impostor.openStreams()).toBe(0);
    expect(error?.message).toMatch(/certificate that is not the printer's trusted one, so the access code was not sent/);
  });

  it('asks for the access code again when this computer does not hold it', async () => {
    const { error } = await collect(new BambuCameraSource({ host: '127.0.0.1', port: bambu.port, label, accessCode: async () => null, tls: tls() }), 1);
    expect(error?.message).toMatch(/not held on this computer\. Enter it again/);
  });
});
