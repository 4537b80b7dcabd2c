import { expect, it } from 'vitest';
import { ROLE_CAPABILITIES, type Role } from '../../../electron/core/contract';
import { createSnapshotHandlers } from '../../../electron/core/handlers/snapshots';
import { AppError } from '../../../electron/core/errors';
import type { Fleet } from '../../../electron/core/printers/fleet';
import { createDispatcher, type Handlers } from '../../../electron/core/rpc/dispatch';
import { snapshotFixture } from './snapshot-fixture';

async function dispatcherFor() {
  const f = await snapshotFixture({ ffmpegPath: '/nonexistent/ffmpeg' });
  const fleet = {
    configOf: (id: string) => {
      if (id !== 'p1') throw new AppError('not_found', 'That printer no longer exists.');
      return { id };
    },
  } as unknown as Fleet;
  const dispatch = createDispatcher(createSnapshotHandlers({ store: f.store, snapshots: f.snapshots, fleet }) as unknown as Handlers, { error: () => {} });
  const as = (role: Role) => (method: string, params?: unknown) => dispatch(method, params, { capabilities: new Set(ROLE_CAPABILITIES[role]) });
  return { as, f };
}

it("a viewer sees a print's pictures and the time-lapse option, but only an admin changes what is kept on disk", async () => {
  const { as, f } = await dispatcherFor();
  f.snapshots.ended(f.history(1));
  await f.snapshots.settled();
  expect(await as('viewer')('snapshots.list', { historyIds: [1] })).toMatchObject({ ok: true, result: [{ kind: 'end', historyId: 1 }] });
  expect(await as('viewer')('snapshots.timelapse', { printerId: 'p1' })).toMatchObject({ ok: true, result: { enabled: false } });
  for (const role of ['viewer', 'operator'] as const) {
    expect(await as(role)('snapshots.setTimelapse', { printerId: 'p1', enabled: true, capMb: 100 }), role).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }
  expect(await as('admin')('snapshots.setTimelapse', { printerId: 'p1', enabled: true, capMb: 100 })).toMatchObject({ ok: true, result: { enabled: true, capMb: 100 } });
});

it('refuses a cap under 10 MiB, an unknown printer and an empty list, saying what to fix', async () => {
  const { as } = await dispatcherFor();
  const admin = as('admin');
  expect(JSON.stringify(await admin('snapshots.setTimelapse', { printerId: 'p1', enabled: true, capMb: 5 }))).toContain('Keep at least 10 MiB of time-lapse per printer.');
  expect(await admin('snapshots.setTimelapse', { printerId: 'gone', enabled: true, capMb: 50 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(await admin('snapshots.list', { historyIds: [] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
});
