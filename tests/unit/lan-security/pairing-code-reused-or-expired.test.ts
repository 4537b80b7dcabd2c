import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock } from '../../../electron/core/ports/clock';
import { systemClock } from '../../../electron/core/ports/clock';
import { PAIRING_TTL_MS } from '../../../electron/core/access';
import { startLanHost, type LanHost } from './lan-host';

// Attack: a pairing code seen over a shoulder is typed on a second device after the first used it, or after its
// five minutes; or codes are guessed.
let offset = 0;
const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
let h: LanHost;
beforeAll(async () => (h = await startLanHost({ clock, server: { signInLimits: { perKey: 5, total: 100, windowMs: 60_000 } } })));
afterAll(() => h.close());

async function newCode(role: 'viewer' | 'admin' = 'viewer'): Promise<string> {
  const c = await h.open(h.admin);
  const offer = (await c.request('access.pair', { role, label: 'phone' })).result as { code: string; expiresAt: number };
  c.close();
  expect(offer.expiresAt - clock.now()).toBeLessThanOrEqual(PAIRING_TTL_MS);
  return offer.code;
}

it('opening the QR code link fills the form in but uses nothing up: a link preview cannot spend the code', async () => {
  const { rawRequest } = await import('../../support/session');
  const code = await newCode();
  const fp = 'AB:'.repeat(31) + 'CD';
  const page = await rawRequest(`${h.origin}/pair?code=${code}&fp=${fp}`);
  expect(page.status).toBe(200);
  expect(page.headers['set-cookie']).toBeUndefined();
  expect(page.body).toContain(`value="${code}"`);
  expect(page.body).toContain(fp);
  expect((await h.postCode(code)).status).toBe(303);
});

it('a crafted pairing link cannot put markup in the page: values not shaped like a code or fingerprint are dropped', async () => {
  const { rawRequest } = await import('../../support/session');
  const page = await rawRequest(`${h.origin}/pair?code=${encodeURIComponent('"><script>alert(1)</script>')}&fp=${encodeURIComponent('<b>x</b>')}`);
  expect(page.status).toBe(200);
  expect(page.body).not.toContain('<script>');
  expect(page.body).not.toContain('<b>x</b>');
  expect(page.body).not.toContain('value=');
});

it('a code works once: the second device is refused and gets no cookie', async () => {
  const code = await newCode();
  const first = await h.postCode(code);
  expect(first.status).toBe(303);
  const second = await h.postCode(code.toLowerCase());
  expect(second.status).toBe(410);
  expect(second.body).toContain('already used');
  expect(second.headers['set-cookie']).toBeUndefined();
});

it('a code past its five minutes is refused', async () => {
  const code = await newCode('admin');
  offset = PAIRING_TTL_MS + 1000;
  try {
    const res = await h.postCode(code);
    expect(res.status).toBe(410);
    expect(res.body).toContain('expired');
    expect(res.headers['set-cookie']).toBeUndefined();
  } finally {
    offset = 0;
  }
});

it('guessing is cut off after a few wrong codes, even with the right one next', async () => {
  const code = await newCode();
  for (let i = 0; i < 5; i++) expect((await h.postCode(`WRONG-CODE${i}`, { 'x-forwarded-for': 'ignored' })).status).toBeGreaterThanOrEqual(401);
  const blocked = await h.postCode(code);
  expect(blocked.status).toBe(429);
  expect(blocked.headers['retry-after']).toBeDefined();
});
