import { expect, it } from 'vitest';
import { ROLE_CAPABILITIES, type Role } from '../../../electron/core/contract';
import { createMaintenanceHandlers } from '../../../electron/core/handlers/maintenance';
import { createDispatcher, type Handlers } from '../../../electron/core/rpc/dispatch';
import { maintenanceFixture } from './maintenance-fixture';

function dispatcherFor() {
  const f = maintenanceFixture();
  const dispatch = createDispatcher(createMaintenanceHandlers({ maintenance: f.maintenance, host: 'headless' }) as unknown as Handlers, { error: () => {} });
  const as = (role: Role, actor?: string) => (method: string, params?: unknown) =>
    dispatch(method, params, { capabilities: new Set(ROLE_CAPABILITIES[role]), ...(actor ? { actor: { sessionId: 's-1', label: actor } } : {}) });
  return { as, f };
}

it('a viewer sees tasks and the log but cannot add, edit, remove or mark a task done', async () => {
  const { as, f } = dispatcherFor();
  const t = f.task({ everyPrints: 1 });
  const viewer = as('viewer');
  expect(await viewer('maintenance.list')).toMatchObject({ ok: true, result: [{ id: t.id }] });
  expect(await viewer('maintenance.log', { printerId: 'p1' })).toMatchObject({ ok: true, result: [] });
  for (const [method, params] of [
    ['maintenance.create', { printerId: 'p1', kind: 'belts', everyHours: 100 }],
    ['maintenance.update', { taskId: t.id, everyPrints: 5 }],
    ['maintenance.remove', { taskId: t.id }],
    ['maintenance.markDone', { taskId: t.id }],
  ] as const) {
    expect(await viewer(method, params), method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }
  expect(f.maintenance.list()).toEqual([expect.objectContaining({ id: t.id, everyPrints: 1 })]);
  expect(f.maintenance.log('p1')).toEqual([]);
});

it('an operator keeps the maintenance; a done task names the device that marked it unless a name is given', async () => {
  const { as } = dispatcherFor();
  const operator = as('operator', 'Workshop tablet');
  const made = await operator('maintenance.create', { printerId: 'p1', kind: 'nozzle', everyHours: 200, holdWhenDue: true });
  expect(made).toMatchObject({ ok: true, result: { name: 'Nozzle change', everyHours: 200, everyGrams: null, holdWhenDue: true, state: 'ok' } });
  const taskId = (made as { result: { id: string } }).result.id;
  expect(await operator('maintenance.markDone', { taskId })).toMatchObject({ ok: true, result: { entry: { doneBy: 'Workshop tablet', note: '' } } });
  expect(await operator('maintenance.markDone', { taskId, by: 'Sam', note: 'hardened steel' })).toMatchObject({
    ok: true,
    result: { entry: { doneBy: 'Sam', note: 'hardened steel' } },
  });
});

it('bad input is refused with what to fix, and nothing is written', async () => {
  const { as, f } = dispatcherFor();
  const operator = as('operator');
  const cases: [unknown, string][] = [
    [{ printerId: 'p1', kind: 'nozzle' }, 'Give at least one threshold: print hours, grams of filament or number of prints.'],
    [{ printerId: 'p1', kind: 'custom', everyHours: 10 }, 'Name the task'],
    [{ printerId: 'p1', kind: 'nozzle', everyHours: -5 }, 'Print hours must be more than 0.'],
    [{ printerId: 'p1', kind: 'cleaning', everyPrints: 2.5 }, 'The number of prints is a whole number.'],
    [{ printerId: 'p1', kind: 'oiling', everyHours: 10 }, 'kind'],
    [{ printerId: 'p1', kind: 'nozzle', everyHours: 10, every: 3 }, 'every'],
  ];
  for (const [params, message] of cases) {
    const out = await operator('maintenance.create', params);
    expect(out, JSON.stringify(params)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(out)).toContain(message);
  }
  expect(f.maintenance.list()).toEqual([]);
});
