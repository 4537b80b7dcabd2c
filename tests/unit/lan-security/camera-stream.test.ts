import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CameraView } from '../../../electron/core/contract';
import { startMjpegPeer, type MjpegPeer } from '../../peers/mjpeg-peer';
import { startMoonrakerPeer, type MoonrakerPeer } from '../../peers/moonraker-peer';
import { rawRequest, type SessionCookie } from '../../support/session';
import { startLanHost, type LanHost } from './lan-host';

// Attack: the camera stream route is reached without a session, from another site, or by a role that may not
// change cameras. It must hold to the same rules as /rpc.
let h: LanHost;
let cam: MjpegPeer;
let moon: MoonrakerPeer;
let camera: CameraView;

beforeAll(async () => {
  cam = await startMjpegPeer({ fps: 20 });
  moon = await startMoonrakerPeer({ webcams: [{ name: 'Nozzle', service: 'mjpegstreamer', stream_url: cam.streamUrl, snapshot_url: cam.snapshotUrl }] });
  h = await startLanHost({ server: { hostnames: ['farm.local'] } });
  const c = await h.open(h.admin);
  const added = (await c.request('printers.add', { kind: 'moonraker', name: 'Voron', url: moon.url })).result as { printer: { id: string } };
  camera = ((await c.request('cameras.list', { printerId: added.printer.id })).result as CameraView[])[0]!;
  c.close();
});
afterAll(async () => {
  await h?.close();
  await Promise.all([cam?.close(), moon?.close()]);
});

/** Opens the stream and reads until the first JPEG part has arrived (or the answer ends); then hangs up. */
function firstFrame(path: string, headers: Record<string, string>, keepOpen = false): Promise<{ status: number; type: string; body: Buffer; res: IncomingMessage }> {
  const u = new URL(path, h.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, headers, rejectUnauthorized: false }, (res) => {
      let body = Buffer.alloc(0);
      const done = () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body, res });
      res.on('data', (c: Buffer) => {
        body = Buffer.concat([body, c]);
        // A whole part: its headers, a JPEG's end marker (FF D9) and the CRLF after it.
        if (body.includes(Buffer.from([0xff, 0xd9, 0x0d, 0x0a]))) {
          done();
          if (!keepOpen) req.destroy();
        }
      });
      res.on('end', done);
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = (s: SessionCookie) => ({ cookie: s.header });

it('streams the camera to a signed-in browser as multipart JPEG (the control case)', async () => {
  const got = await firstFrame(camera.streamPath!, cookie(h.admin));
  expect(got.status).toBe(200);
  expect(got.type).toMatch(/^multipart\/x-mixed-replace; boundary=/);
  expect(got.body.toString('latin1')).toContain('Content-Type: image/jpeg');
});

it('refuses the stream without a session cookie, and opens no connection to the camera for it', async () => {
  const before = cam.streamsOpened;
  const res = await rawRequest(`${h.origin}${camera.streamPath}`);
  expect(res.status).toBe(401);
  expect(res.body).not.toContain('JFIF');
  const made = await rawRequest(`${h.origin}${camera.streamPath}`, { headers: { cookie: `${h.admin.name}=${'x'.repeat(43)}` } });
  expect(made.status).toBe(401);
  expect(cam.streamsOpened).toBe(before);
});

it('answers one picture at /frame to a signed-in browser, and refuses it without the cookie', async () => {
  const framePath = camera.streamPath!.replace(/\/stream$/, '/frame');
  const got = await firstFrame(`${framePath}?fps=1`, cookie(h.admin));
  expect(got.status).toBe(200);
  expect(got.type).toBe('image/jpeg');
  expect([...got.body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  expect((await rawRequest(`${h.origin}${framePath}`)).status).toBe(401);
  expect((await rawRequest(`${h.origin}${framePath}`, { headers: { ...cookie(h.admin), 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
});

it('refuses the stream to a page of another site (Origin or Fetch Metadata), even with the cookie', async () => {
  expect((await rawRequest(`${h.origin}${camera.streamPath}`, { headers: { ...cookie(h.admin), origin: 'https://evil.example' } })).status).toBe(403);
  expect((await rawRequest(`${h.origin}${camera.streamPath}`, { headers: { ...cookie(h.admin), 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
});

it('refuses the stream under a Host that is not this machine (DNS rebinding)', async () => {
  expect((await rawRequest(`${h.origin}${camera.streamPath}`, { headers: { ...cookie(h.admin), host: 'evil.example' } })).status).toBe(421);
});

it('lets a viewer watch but not add or remove cameras', async () => {
  const viewer = await h.pair('viewer');
  const got = await firstFrame(camera.streamPath!, cookie(viewer));
  expect(got.status).toBe(200);
  const c = await h.open(viewer);
  const add = await c.request('cameras.add', { printerId: camera.printerId, name: 'x', kind: 'mjpeg', url: cam.streamUrl });
  const remove = await c.request('cameras.remove', { cameraId: camera.id });
  expect([add.error, remove.error]).toMatchObject([{ data: { code: 'forbidden' } }, { data: { code: 'forbidden' } }]);
  c.close();
});

it('ends an open stream when its session is revoked', async () => {
  const viewer = await h.pair('viewer', 'wall display');
  const got = await firstFrame(camera.streamPath!, cookie(viewer), true);
  expect(got.status).toBe(200);
  // Keep reading: the first frame was read, the answer stays open until the session goes.
  const ended = new Promise<void>((resolve) => got.res.once('close', () => resolve()));
  const admin = await h.open(h.admin);
  const sessions = (await admin.request('access.sessions')).result as { id: string; label: string }[];
  await admin.request('access.revoke', { id: sessions.find((s) => s.label === 'wall display')!.id });
  admin.close();
  await ended;
  expect((await rawRequest(`${h.origin}${camera.streamPath}`, { headers: cookie(viewer) })).status).toBe(401);
});

it('answers 404 with a message for a camera that does not exist, and 400 for a bad frame rate', async () => {
  const missing = await rawRequest(`${h.origin}/camera/cam_nothere/stream`, { headers: cookie(h.admin) });
  expect(missing.status).toBe(404);
  expect(missing.body).toContain('no longer exists');
  expect((await rawRequest(`${h.origin}${camera.streamPath}?fps=1000`, { headers: cookie(h.admin) })).status).toBe(400);
});

it("holds a print's pictures (/snapshot/<id>) to the same rules: no session, another site or a bad id is refused", async () => {
  expect((await rawRequest(`${h.origin}/snapshot/1`)).status).toBe(401);
  expect((await rawRequest(`${h.origin}/snapshot/1`, { headers: { ...cookie(h.admin), 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
  const missing = await rawRequest(`${h.origin}/snapshot/999999`, { headers: cookie(h.admin) });
  expect(missing.status).toBe(404);
  expect(missing.body).toMatch(/no longer exists/);
  for (const bad of ['/snapshot/0', '/snapshot/1.jpg', '/snapshot/..%2f..%2fautoprintfarm.db', '/snapshot/-1']) {
    expect((await rawRequest(`${h.origin}${bad}`, { headers: cookie(h.admin) })).status).toBe(404);
  }
});
