import { expect, it } from 'vitest';
import { ROLE_CAPABILITIES, type Role } from '../../../electron/core/contract';
import { createMaterialHandlers } from '../../../electron/core/handlers/materials';
import { createDispatcher, type Handlers } from '../../../electron/core/rpc/dispatch';
import { inventoryFixture, PLA_BLACK } from './spool-fixture';

function dispatcherFor() {
  const { spools, clock } = inventoryFixture();
  const dispatch = createDispatcher(createMaterialHandlers({ spools, clock }) as unknown as Handlers, { error: () => {} });
  const as = (role: Role) => (method: string, params?: unknown) => dispatch(method, params, { capabilities: new Set(ROLE_CAPABILITIES[role]) });
  return { as, spools };
}

it('a viewer lists and exports spools but cannot create, edit, load, archive or import them', async () => {
  const { as, spools } = dispatcherFor();
  const s = spools.create(PLA_BLACK);
  const viewer = as('viewer');
  expect(await viewer('spools.list')).toMatchObject({ ok: true, result: [{ id: s.id }] });
  expect(await viewer('spools.exportCsv')).toMatchObject({ ok: true, result: { rows: 1 } });
  for (const [method, params] of [
    ['spools.create', PLA_BLACK],
    ['spools.update', { spoolId: s.id, remainingG: 1 }],
    ['spools.load', { spoolId: s.id, printerId: 'p1' }],
    ['spools.unload', { printerId: 'p1' }],
    ['spools.archive', { spoolId: s.id }],
    ['spools.importCsv', { csv: '' }],
  ] as const) {
    expect(await viewer(method, params), method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }
  expect(spools.require(s.id).remainingG).toBe(1000);
});

it('an operator keeps the spools; bad input is refused with what to fix', async () => {
  const { as } = dispatcherFor();
  const operator = as('operator');
  const made = await operator('spools.create', { ...PLA_BLACK, colourHex: 'ff8000' });
  expect(made).toMatchObject({ ok: true, result: { colourHex: '#FF8000' } });
  const bad = await operator('spools.create', { ...PLA_BLACK, remainingG: 5000 });
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(JSON.stringify(bad)).toContain('Remaining grams cannot be more than the net weight');
  expect(await operator('spools.create', { ...PLA_BLACK, spoolWeight: 3 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
});
