import { expect, it } from 'vitest';
import { spoolQrText } from '../../../renderer/src/screens/spools/use-spoolman';
import { parseRoute, routeHash } from '../../../renderer/src/store/route';

it("a label's QR code holds Spoolman's own link for a Spoolman spool, and this app's page of the spool otherwise", () => {
  expect(spoolQrText({ id: 'spoolman-12', spoolman: { id: 12 } }, 'http://farm:8080/')).toBe('WEB+SPOOLMAN:S-12');
  const local = '7f1c2a9e-0b7d-4c8e-9a51-3e2f0c6d4b11';
  const link = spoolQrText({ id: local, spoolman: null }, 'http://farm:8080/');
  expect(link).toBe(`http://farm:8080/#/spools/${local}`);
  // The link opens the Spools screen with that spool marked.
  expect(parseRoute(new URL(link).hash)).toEqual({ name: 'spools', spoolId: local });
});

it('the label and a spool of the Spools screen have their own addresses', () => {
  for (const r of [{ name: 'spool-label', spoolId: 'spoolman-3' }, { name: 'spools', spoolId: 'abc' }, { name: 'spools' }] as const) expect(parseRoute(routeHash(r))).toEqual(r);
  expect(parseRoute('#/spools/spoolman-3/label')).toEqual({ name: 'spool-label', spoolId: 'spoolman-3' });
});
