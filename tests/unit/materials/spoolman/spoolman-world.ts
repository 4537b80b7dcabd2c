import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MaterialNeed } from '../../../../electron/core/contract/materials-types';
import type { SpoolmanStatus } from '../../../../electron/core/contract/spoolman-types';
import { SpoolInventory } from '../../../../electron/core/materials/spool-inventory';
import { SpoolmanSource } from '../../../../electron/core/materials/spoolman/spoolman-source';
import { createMemorySettingsStore, type SettingsStore } from '../../../../electron/core/ports/settings-store';
import { openDatabase, type Db } from '../../../../electron/core/store/database';
import { startSpoolmanPeer, type SpoolmanPeer } from '../../../peers/spoolman-peer';
import { stepClock } from '../../jobs/farm-fixture';

export const PLA_NEED = (grams: number): MaterialNeed => ({ material: 'PLA', colourHex: null, colourName: null, grams, mm: null, edited: false });

/** The app's spool side over one data folder: the inventory and the Spoolman source as `createCore` wires them. */
export interface SpoolWorld {
  db: Db;
  spools: SpoolInventory;
  spoolman: SpoolmanSource;
  statuses: SpoolmanStatus[];
  /** A print on `printerId` from start to end, `fraction` of the way, as the farm records it. */
  print(jobId: string, printerId: string, need: MaterialNeed, fraction?: number): void;
  close(): void;
}

export function openWorld(dir: string, settings: SettingsStore): SpoolWorld {
  const db = openDatabase(dir);
  const clock = stepClock();
  const statuses: SpoolmanStatus[] = [];
  let spoolman: SpoolmanSource | null = null;
  const spools = new SpoolInventory({
    db,
    clock,
    printerName: (id) => (id.startsWith('p') ? `Printer ${id}` : null),
    source: () => spoolman?.source ?? 'local',
    spoolmanUseInTx: (u) => spoolman!.queueUseInTx(u),
  });
  spoolman = new SpoolmanSource({ db, settings, clock, inventory: () => spools, onStatus: (s) => statuses.push(s), timers: false, client: { timeoutMs: 2000 } });
  spools.reload();
  const sm = spoolman;
  return {
    db,
    spools,
    spoolman: sm,
    statuses,
    print(jobId, printerId, need, fraction = 1) {
      db.transaction(() => spools.claimInTx(jobId, printerId, clock.now()))();
      clock.advance(60_000);
      const ids = db.transaction(() => spools.deductInTx(jobId, need, fraction, clock.now()))();
      spools.committed(ids);
    },
    close() {
      sm.close();
      db.close();
    },
  };
}

/** A data folder, a settings store and a Spoolman peer with one vendor, two filaments and three spools. */
export async function spoolmanFixture(): Promise<{
  dir: string;
  settings: SettingsStore;
  peer: SpoolmanPeer;
  ids: { plaBlack: number; petgRed: number; noWeight: number };
  cleanup(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'apf-spoolman-'));
  const settings = createMemorySettingsStore();
  const peer = await startSpoolmanPeer();
  const prusa = peer.addVendor({ name: 'Prusament' });
  const pla = peer.addFilament({ name: 'Galaxy Black', vendor_id: prusa.id, material: 'PLA', density: 1.24, diameter: 1.75, weight: 1000, color_hex: '3D3E3D', price: 25 });
  const petg = peer.addFilament({ name: 'Signal Red', material: 'PETG', density: 1.27, diameter: 1.75, color_hex: 'D01010FF' });
  const bare = peer.addFilament({ material: 'PLA', density: 1.24, diameter: 1.75 });
  const plaBlack = peer.addSpool({ filament_id: pla.id, used_weight: 200, lot_nr: 'L-77', price: 22 }).id;
  const petgRed = peer.addSpool({ filament_id: petg.id, initial_weight: 750, remaining_weight: 500 }).id;
  const noWeight = peer.addSpool({ filament_id: bare.id }).id;
  return {
    dir,
    settings,
    peer,
    ids: { plaBlack, petgRed, noWeight },
    cleanup: async () => {
      await peer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
