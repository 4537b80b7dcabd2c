import type { SNAPSHOT_METHODS } from '../contract/names/snapshots';
import type { Fleet } from '../printers/fleet';
import type { HandlersFor } from '../rpc/dispatch';
import type { PrintSnapshots } from '../snapshots/print-snapshots';
import type { SnapshotStore } from '../snapshots/snapshot-store';

export function createSnapshotHandlers(deps: { store: SnapshotStore; snapshots: PrintSnapshots; fleet: Fleet }): HandlersFor<(typeof SNAPSHOT_METHODS)[number]> {
  return {
    'snapshots.list': async ({ historyIds }) => deps.store.forHistory(historyIds),
    'snapshots.timelapse': async ({ printerId }) => deps.snapshots.timelapse(deps.fleet.configOf(printerId).id),
    'snapshots.setTimelapse': async ({ printerId, enabled, capMb }) => deps.snapshots.setTimelapse(deps.fleet.configOf(printerId).id, enabled, capMb),
  };
}
