import type { Db } from './store';

/** A hub as the database and the routes see it; timestamps in epoch ms. */
export interface HubRecord {
  id: string;
  organization: string;
  name: string;
  firmwareVersion: string | null;
  hardwareVersion: string | null;
  macAddress: string | null;
  isOnline: boolean;
  lastSeenAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** The cloud printers published by this hub, in publishing order. */
  printerIds: string[];
}

interface HubRow {
  id: string;
  organization: string;
  name: string;
  firmware_version: string | null;
  hardware_version: string | null;
  mac_address: string | null;
  is_online: number;
  last_seen_at: number | null;
  created_at: number;
  updated_at: number;
}

export type RegisterOutcome = { kind: 'created'; hub: HubRecord } | { kind: 'existing'; hub: HubRecord } | { kind: 'other_organization' };

/** Hubs at rest. Online state is written here too, so `GET /hubs` and a restart both see it. */
export class HubRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    // No socket survives a restart: whatever the last run left marked online is not.
    db.prepare('UPDATE hubs SET is_online = 0 WHERE is_online = 1').run();
  }

  /**
   * Idempotent per organization: the same organization gets its hub back (renamed when a name is given),
   * another organization is refused.
   */
  register(id: string, organization: string, name: string | null): RegisterOutcome {
    return this.db.transaction((): RegisterOutcome => {
      const existing = this.get(id);
      if (existing) {
        if (existing.organization !== organization) return { kind: 'other_organization' };
        if (name !== null && name !== existing.name) {
          this.db.prepare('UPDATE hubs SET name = ?, updated_at = ? WHERE id = ?').run(name, this.now(), id);
        }
        return { kind: 'existing', hub: this.get(id)! };
      }
      const now = this.now();
      this.db.prepare('INSERT INTO hubs (id, organization, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, organization, name ?? `Hub ${id.slice(0, 8)}`, now, now);
      return { kind: 'created', hub: this.get(id)! };
    })();
  }

  get(id: string): HubRecord | null {
    const row = this.db.prepare<[string], HubRow>('SELECT * FROM hubs WHERE id = ?').get(id);
    return row ? this.toRecord(row) : null;
  }

  /** The hub if it belongs to the organization; another organization's hub is as good as absent. */
  getOwned(id: string, organization: string): HubRecord | null {
    const hub = this.get(id);
    return hub && hub.organization === organization ? hub : null;
  }

  list(organization: string): HubRecord[] {
    return this.db
      .prepare<[string], HubRow>('SELECT * FROM hubs WHERE organization = ? ORDER BY seq')
      .all(organization)
      .map((row) => this.toRecord(row));
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM hubs WHERE id = ?').run(id).changes > 0;
  }

  /** Called on hub_hello: what the hub says it runs, and that it is here. */
  markOnline(id: string, hello: { firmwareVersion: string; hardwareVersion: string | null; macAddress: string | null }): void {
    const now = this.now();
    this.db
      .prepare(
        `UPDATE hubs SET is_online = 1, last_seen_at = ?, firmware_version = ?, hardware_version = ?,
           mac_address = COALESCE(?, mac_address), updated_at = ? WHERE id = ?`,
      )
      .run(now, hello.firmwareVersion, hello.hardwareVersion, hello.macAddress, now, id);
  }

  touch(id: string): void {
    this.db.prepare('UPDATE hubs SET last_seen_at = ? WHERE id = ?').run(this.now(), id);
  }

  markOffline(id: string): void {
    this.db.prepare('UPDATE hubs SET is_online = 0, updated_at = ? WHERE id = ?').run(this.now(), id);
  }

  private toRecord(row: HubRow): HubRecord {
    const printerIds = this.db
      .prepare<[string], { id: string }>('SELECT id FROM printers WHERE hub_id = ? ORDER BY seq')
      .all(row.id)
      .map((p) => p.id);
    return {
      id: row.id,
      organization: row.organization,
      name: row.name,
      firmwareVersion: row.firmware_version,
      hardwareVersion: row.hardware_version,
      macAddress: row.mac_address,
      isOnline: row.is_online === 1,
      lastSeenAt: row.last_seen_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      printerIds,
    };
  }
}
