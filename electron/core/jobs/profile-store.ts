import type { Db } from '../store/database';
import type { BedState, FarmProfile, FarmSettings } from '../contract/jobs-types';

interface ProfileRow {
  printer_id: string;
  model: string | null;
  nozzle_diameter: number | null;
  material: string | null;
  group_name: string | null;
  tags_json: string;
  auto_eject: number;
  bed: BedState;
  bed_job_id: string | null;
}

export const defaultProfile = (printerId: string): FarmProfile => ({
  printerId,
  model: null,
  nozzleDiameter: null,
  material: null,
  group: null,
  tags: [],
  autoEject: false,
  bed: 'clear',
  bedJobId: null,
});

export const DEFAULT_FARM_SETTINGS: FarmSettings = { maxConcurrentStarts: 2, materialMatching: 'when-known' };

/** Farm profiles keyed by printer id (what each printer can print, and whether its bed is free) and farm settings. */
export class ProfileStore {
  private readonly upsertStmt;

  constructor(private readonly db: Db) {
    this.upsertStmt = db.prepare(
      `INSERT INTO farm_profiles (printer_id, model, nozzle_diameter, material, group_name, tags_json, auto_eject, bed, bed_job_id)
       VALUES (@printer_id, @model, @nozzle_diameter, @material, @group_name, @tags_json, @auto_eject, @bed, @bed_job_id)
       ON CONFLICT(printer_id) DO UPDATE SET model = excluded.model, nozzle_diameter = excluded.nozzle_diameter, material = excluded.material,
         group_name = excluded.group_name, tags_json = excluded.tags_json, auto_eject = excluded.auto_eject, bed = excluded.bed, bed_job_id = excluded.bed_job_id`,
    );
  }

  all(): FarmProfile[] {
    return (this.db.prepare('SELECT * FROM farm_profiles').all() as ProfileRow[]).map((r) => ({
      printerId: r.printer_id,
      model: r.model,
      nozzleDiameter: r.nozzle_diameter,
      material: r.material,
      group: r.group_name,
      tags: JSON.parse(r.tags_json) as string[],
      autoEject: r.auto_eject === 1,
      bed: r.bed,
      bedJobId: r.bed_job_id,
    }));
  }

  save(p: FarmProfile): void {
    this.upsertStmt.run({
      printer_id: p.printerId,
      model: p.model,
      nozzle_diameter: p.nozzleDiameter,
      material: p.material,
      group_name: p.group,
      tags_json: JSON.stringify(p.tags),
      auto_eject: p.autoEject ? 1 : 0,
      bed: p.bed,
      bed_job_id: p.bedJobId,
    });
  }

  remove(printerId: string): void {
    this.db.prepare('DELETE FROM farm_profiles WHERE printer_id = ?').run(printerId);
  }

  settings(): FarmSettings {
    const row = this.db.prepare(`SELECT value FROM farm_settings WHERE key = 'farm'`).get() as { value: string } | undefined;
    if (!row) return { ...DEFAULT_FARM_SETTINGS };
    try {
      return { ...DEFAULT_FARM_SETTINGS, ...(JSON.parse(row.value) as Partial<FarmSettings>) };
    } catch {
      return { ...DEFAULT_FARM_SETTINGS };
    }
  }

  saveSettings(s: FarmSettings): void {
    this.db.prepare(`INSERT INTO farm_settings (key, value) VALUES ('farm', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(s));
  }
}
