import { afterAll, beforeAll, expect, it } from 'vitest';
import { METHOD_NAMES, ROLE_CAPABILITIES, methods } from '../../../electron/core/contract';
import { startLanHost, type LanHost } from './lan-host';

// Attack: a paired viewer (or an operator) calls, by hand, every method its role does not hold.
let h: LanHost;
beforeAll(async () => (h = await startLanHost()));
afterAll(() => h.close());

for (const role of ['viewer', 'operator'] as const) {
  it(`a ${role} is refused every method whose capability its role lacks, before any input is looked at`, async () => {
    const c = await h.open(await h.pair(role));
    const denied = METHOD_NAMES.filter((m) => !ROLE_CAPABILITIES[role].includes(methods[m].capability));
    expect(denied.length).toBeGreaterThan(role === 'viewer' ? 40 : 20);
    for (const method of denied) {
      const reply = await c.request(method, {});
      expect(reply.error, method).toMatchObject({ code: -32003, data: { code: 'forbidden' } });
    }
    c.close();
  });
}

it('a viewer still reads what its role holds', async () => {
  const c = await h.open(await h.pair('viewer'));
  expect((await c.request('printers.list')).result).toBeInstanceOf(Array);
  expect((await c.request('access.whoami')).result).toMatchObject({ role: 'viewer', capabilities: ['app:read', 'fleet:read'] });
  c.close();
});

it('the refused calls leave no trace in the audit log, and the admin calls made to pair are there', async () => {
  const c = await h.open(h.admin);
  const log = (await c.request('access.audit')).result as { method: string; actor: string }[];
  expect(log.every((e) => e.method === 'access.pair')).toBe(true);
  expect(log[0]!.actor).toContain('Start link');
  c.close();
});
