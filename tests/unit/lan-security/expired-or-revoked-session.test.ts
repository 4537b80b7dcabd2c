import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock } from '../../../electron/core/ports/clock';
import { systemClock } from '../../../electron/core/ports/clock';
import { SESSION_IDLE_MS } from '../../../electron/core/access';
import { rawRequest } from '../../support/session';
import { startLanHost, type LanHost } from './lan-host';

// Attack: a cookie taken from a device the admin has signed out, or one left unused past its life, is replayed.
let offset = 0;
const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
let h: LanHost;
beforeAll(async () => (h = await startLanHost({ clock })));
afterAll(() => h.close());

it('a revoked session is refused on its next socket and on the page', async () => {
  const viewer = await h.pair('viewer', 'Lost tablet');
  const admin = await h.open(h.admin);
  const id = ((await admin.request('access.sessions')).result as { id: string; label: string }[]).find((s) => s.label === 'Lost tablet')!.id;
  expect((await admin.request('access.revoke', { id })).error).toBeUndefined();
  admin.close();
  await expect(h.open(viewer)).rejects.toThrow('HTTP 401');
  expect((await rawRequest(`${h.origin}/`, { headers: { cookie: viewer.header } })).status).toBe(401);
});

it("a revoked session's open socket closes at once, with code 4001 and a reason", async () => {
  const viewer = await h.pair('viewer', 'Wall display');
  const socket = await h.open(viewer);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const admin = await h.open(h.admin);
  const id = ((await admin.request('access.sessions')).result as { id: string; label: string }[]).find((s) => s.label === 'Wall display')!.id;
  await admin.request('access.revoke', { id });
  expect(await closed).toEqual({ code: 4001, reason: expect.stringContaining('revoked') as string });
  // The admin's own socket is untouched.
  expect((await admin.request('app.info')).result).toMatchObject({ host: 'headless' });
  admin.close();
});

it('a session unused past its idle life is refused', async () => {
  const operator = await h.pair('operator', 'Old phone');
  (await h.open(operator)).close();
  offset = SESSION_IDLE_MS + 60_000;
  try {
    await expect(h.open(operator)).rejects.toThrow('HTTP 401');
  } finally {
    offset = 0;
  }
});
