/**
 * Numbered schema migrations. A migration is never edited once shipped: the next change is a new entry.
 * `user_version` records how many have run, so each runs exactly once per database.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'library, jobs, farm profiles, history',
    sql: `
      CREATE TABLE files (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('analyzing', 'ready')),
        meta_json TEXT,
        thumbnail TEXT
      );
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        batch_id TEXT NOT NULL,
        copy_number INTEGER NOT NULL,
        copies INTEGER NOT NULL,
        file_sha256 TEXT NOT NULL,
        file_name TEXT NOT NULL,
        priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
        position REAL NOT NULL,
        target_json TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued','starting','printing','paused','completed','failed','cancelled','interrupted')),
        printer_id TEXT,
        reason TEXT,
        retry_of TEXT,
        start_count INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER
      );
      CREATE INDEX jobs_state ON jobs(state);
      CREATE TABLE farm_profiles (
        printer_id TEXT PRIMARY KEY,
        model TEXT,
        nozzle_diameter REAL,
        material TEXT,
        group_name TEXT,
        tags_json TEXT NOT NULL DEFAULT '[]',
        auto_eject INTEGER NOT NULL DEFAULT 0,
        bed TEXT NOT NULL DEFAULT 'clear' CHECK (bed IN ('clear', 'needs_clear')),
        bed_job_id TEXT
      );
      CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        printer_id TEXT NOT NULL,
        printer_name TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL,
        filament_mm REAL,
        filament_g REAL,
        material TEXT
      );
      CREATE INDEX history_ended ON history(ended_at);
      CREATE TABLE farm_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'history records prints started by hand',
    // SQLite cannot relax NOT NULL in place, so the table is rebuilt: `source` says who started the print, and a
    // print started by hand may be of a file the library does not hold (no SHA-256).
    sql: `
      CREATE TABLE history_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL DEFAULT 'queue' CHECK (source IN ('queue', 'manual')),
        printer_id TEXT NOT NULL,
        printer_name TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT,
        outcome TEXT NOT NULL,
        reason TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL,
        filament_mm REAL,
        filament_g REAL,
        material TEXT
      );
      INSERT INTO history_v2 (id, job_id, source, printer_id, printer_name, file_name, file_sha256, outcome, reason, started_at, ended_at, filament_mm, filament_g, material)
        SELECT id, job_id, 'queue', printer_id, printer_name, file_name, file_sha256, outcome, reason, started_at, ended_at, filament_mm, filament_g, material FROM history;
      DROP TABLE history;
      ALTER TABLE history_v2 RENAME TO history;
      CREATE INDEX history_ended ON history(ended_at);
    `,
  },
  {
    version: 3,
    name: 'jobs.enqueue remembers client request ids',
    // A retried enqueue (its reply was lost) answers with the jobs the first call made instead of new ones.
    sql: `
      CREATE TABLE enqueue_requests (
        request_id TEXT PRIMARY KEY,
        batch_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX enqueue_requests_created ON enqueue_requests(created_at);
    `,
  },
  {
    version: 4,
    name: 'the hub outbox',
    // What the hub owes the cloud (job events, final file progress), kept until the cloud acknowledges each one,
    // so nothing is lost across a dropped connection or a crash; delivered in seq order.
    sql: `
      CREATE TABLE hub_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        message_json TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'jobs from the cloud',
    // A job the cloud sent (print_command) keeps the cloud's job and printer ids; one local job per cloud job,
    // so a repeated print_command can never queue it twice.
    sql: `
      ALTER TABLE jobs ADD COLUMN cloud_job_id TEXT;
      ALTER TABLE jobs ADD COLUMN cloud_printer_id TEXT;
      CREATE UNIQUE INDEX jobs_cloud_job ON jobs(cloud_job_id) WHERE cloud_job_id IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'what the hub reported of each cloud job',
    // The last status queued in the outbox for each cloud job, written in the same commit as its job_event, so a
    // hub that was stopped or crashed reports at its next start exactly what the cloud has not heard yet. Jobs
    // that already existed were reported as they happened: they start from their present status.
    sql: `
      CREATE TABLE hub_job_reports (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
        status TEXT NOT NULL
      );
      INSERT INTO hub_job_reports (job_id, status)
        SELECT id, CASE state WHEN 'starting' THEN 'uploaded' WHEN 'interrupted' THEN 'failed' ELSE state END
        FROM jobs WHERE cloud_job_id IS NOT NULL AND state != 'queued';
    `,
  },
  {
    version: 7,
    name: 'where a running print had got to',
    // Written every few seconds while a job prints, so a print that dies with the app (a USB print streams from
    // here) is reported with the line it had reached; deleted when the job ends.
    sql: `
      CREATE TABLE job_progress (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
        fraction REAL NOT NULL,
        line INTEGER,
        at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: "a cloud job's own priority",
    // The cloud's 0–255 priority, kept beside the local priority it was mapped to, so the screens can show both.
    sql: `ALTER TABLE jobs ADD COLUMN cloud_priority INTEGER;`,
  },
  {
    version: 9,
    name: 'browser sessions and the audit log',
    // A session's secret is kept only as its SHA-256; the audit log never holds a secret (see access/audit-log.ts).
    sql: `
      CREATE TABLE access_sessions (
        id TEXT PRIMARY KEY,
        secret_sha256 TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        label TEXT NOT NULL,
        user_agent TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        via TEXT NOT NULL CHECK (via IN ('start-link', 'pairing')),
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        session_id TEXT,
        actor TEXT NOT NULL,
        method TEXT NOT NULL,
        summary TEXT NOT NULL,
        outcome TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log(at);
    `,
  },
  {
    version: 10,
    name: 'spools, what each printer has loaded, and the filament each job used',
    // A spool is archived, never deleted, so the usage rows that deducted from it stay readable. A printer has
    // numbered slots (0 for a single extruder; AMS trays later), each holding at most one spool, and a spool is in at
    // most one slot. A usage row is written when a job starts (which spool it took) and completed once at its end:
    // `deducted_at` set means the grams were taken off, so an end reported twice deducts once.
    sql: `
      CREATE TABLE spools (
        id TEXT PRIMARY KEY,
        material TEXT NOT NULL,
        brand TEXT NOT NULL DEFAULT '',
        colour_hex TEXT NOT NULL,
        colour_name TEXT NOT NULL DEFAULT '',
        diameter_mm REAL NOT NULL CHECK (diameter_mm > 0),
        density_g_cm3 REAL NOT NULL CHECK (density_g_cm3 > 0),
        net_weight_g REAL NOT NULL CHECK (net_weight_g > 0),
        remaining_g REAL NOT NULL CHECK (remaining_g >= 0),
        cost REAL CHECK (cost IS NULL OR cost >= 0),
        lot TEXT NOT NULL DEFAULT '',
        archived_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE printer_spools (
        printer_id TEXT NOT NULL,
        slot INTEGER NOT NULL CHECK (slot >= 0),
        spool_id TEXT NOT NULL UNIQUE REFERENCES spools(id),
        loaded_at INTEGER NOT NULL,
        PRIMARY KEY (printer_id, slot)
      );
      CREATE TABLE spool_usage (
        job_id TEXT NOT NULL,
        slot INTEGER NOT NULL,
        spool_id TEXT NOT NULL REFERENCES spools(id),
        printer_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        fraction REAL,
        grams REAL,
        deducted_at INTEGER,
        PRIMARY KEY (job_id, slot)
      );
      CREATE INDEX spool_usage_spool ON spool_usage(spool_id);
      ALTER TABLE jobs ADD COLUMN need_json TEXT;
    `,
  },
  {
    version: 11,
    name: 'pictures of each print: first layer, end, failure, time-lapse',
    // A snapshot's JPEG (or a time-lapse's video) is a file under <data>/snapshots; the row says whose it is. Pictures
    // taken while a print runs have no history row yet: they are tied to it when its history row is written, by
    // printer and time (so a crash in between still ties them at the next start). A time-lapse is optional per
    // printer, with a size cap per printer: the oldest time-lapses go first, the other snapshots are kept.
    sql: `
      CREATE TABLE print_snapshots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        printer_id TEXT NOT NULL,
        history_id INTEGER REFERENCES history(id),
        kind TEXT NOT NULL CHECK (kind IN ('first-layer', 'end', 'failure', 'timelapse-frame', 'timelapse-video')),
        taken_at INTEGER NOT NULL,
        layer INTEGER,
        file TEXT NOT NULL UNIQUE,
        bytes INTEGER NOT NULL CHECK (bytes >= 0)
      );
      CREATE INDEX print_snapshots_history ON print_snapshots(history_id);
      CREATE INDEX print_snapshots_loose ON print_snapshots(printer_id, taken_at) WHERE history_id IS NULL;
      CREATE TABLE timelapse_options (
        printer_id TEXT PRIMARY KEY,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        cap_mb INTEGER NOT NULL CHECK (cap_mb >= 10)
      );
    `,
  },
  {
    version: 12,
    name: 'maintenance tasks per printer and the log of what was done',
    // Counters are not stored: they are read from the `history` rows (and their `spool_usage`) after `after_history_id`,
    // the last history row when the task was added or last done, hence the index on history by printer. An id, not a
    // time: a print that ends in the same millisecond as a completion is counted once, on one side of it. A log row
    // keeps the task's name and kind and the counters it reset, so it stays readable after the task is removed (no
    // foreign key on purpose).
    sql: `
      CREATE TABLE maintenance_tasks (
        id TEXT PRIMARY KEY,
        printer_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('nozzle', 'belts', 'lubrication', 'cleaning', 'custom')),
        name TEXT NOT NULL CHECK (name != ''),
        every_hours REAL CHECK (every_hours IS NULL OR every_hours > 0),
        every_grams REAL CHECK (every_grams IS NULL OR every_grams > 0),
        every_prints INTEGER CHECK (every_prints IS NULL OR every_prints > 0),
        hold_when_due INTEGER NOT NULL DEFAULT 0 CHECK (hold_when_due IN (0, 1)),
        since INTEGER NOT NULL,
        after_history_id INTEGER NOT NULL DEFAULT 0,
        last_done_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK (every_hours IS NOT NULL OR every_grams IS NOT NULL OR every_prints IS NOT NULL)
      );
      CREATE INDEX maintenance_tasks_printer ON maintenance_tasks(printer_id);
      CREATE TABLE maintenance_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL,
        printer_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        done_at INTEGER NOT NULL,
        done_by TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        hours REAL NOT NULL,
        grams REAL NOT NULL,
        prints INTEGER NOT NULL
      );
      CREATE INDEX maintenance_log_printer ON maintenance_log(printer_id, done_at);
      CREATE INDEX history_printer ON history(printer_id, id);
    `,
  },
  {
    version: 13,
    name: 'spools mirrored from a Spoolman server, and the uses waiting to be sent to it',
    // A Spoolman spool is mirrored as a row of `spools` (id `spoolman-<n>`), so loading it on a printer, the
    // usage rows and the queue's matching work as for a local spool, and still do while Spoolman is down.
    // `spoolman_missing_at`: Spoolman answered 404 for it (deleted there). One outbox row per usage row
    // (job, slot) carries the grams, and the server it is for, to `PUT /spool/{id}/use`: `sending` with `used_before` is written before the
    // request, so after a crash or a lost answer the next attempt reads the spool first and never sends it twice.
    sql: `
      ALTER TABLE spools ADD COLUMN spoolman_id INTEGER;
      ALTER TABLE spools ADD COLUMN spoolman_missing_at INTEGER;
      CREATE UNIQUE INDEX spools_spoolman_id ON spools(spoolman_id) WHERE spoolman_id IS NOT NULL;
      CREATE TABLE spoolman_uses (
        job_id TEXT NOT NULL,
        slot INTEGER NOT NULL,
        spoolman_id INTEGER NOT NULL,
        base_url TEXT NOT NULL,
        grams REAL NOT NULL CHECK (grams > 0),
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
        used_before REAL,
        attempts INTEGER NOT NULL DEFAULT 0,
        problem TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        PRIMARY KEY (job_id, slot)
      );
      CREATE INDEX spoolman_uses_open ON spoolman_uses(state) WHERE state IN ('pending', 'sending');
    `,
  },
  {
    version: 14,
    name: 'what each print cost: filament, electricity and machine wear',
    // Each print's cost is kept as it was when it ended (prices change; a past print's cost does not), in the
    // currency of the time. A printer's power draw and wear per hour are rates the user sets; null = not counted.
    sql: `
      ALTER TABLE history ADD COLUMN cost_currency TEXT;
      ALTER TABLE history ADD COLUMN cost_filament REAL;
      ALTER TABLE history ADD COLUMN cost_energy REAL;
      ALTER TABLE history ADD COLUMN cost_wear REAL;
      CREATE TABLE printer_costs (
        printer_id TEXT PRIMARY KEY,
        watts REAL CHECK (watts IS NULL OR watts >= 0),
        wear_per_hour REAL CHECK (wear_per_hour IS NULL OR wear_per_hour >= 0)
      );
    `,
  },
  {
    version: 15,
    name: "spools kept in step with the cloud's filament records: links, changes waiting to go, conflicts",
    // `material_links`: our spool ↔ the cloud's record, and where the two were last in step: the spool's own
    // updated_at the cloud has (`local_synced_at`) and the cloud's updated_at we have (`cloud_updated_at`, its string
    // as sent). A spool edited since is waiting to go; a record whose updated_at moved was edited there. `gone_at`:
    // the record no longer exists (deleted there, so archived here; or archived here, so deleted there).
    // `material_outbox`: one row per spool waiting to go, written with the change's commit (or found again at start),
    // removed once the cloud has it; `idem_key` is sent with a create, so a create whose answer was lost (a crash, a
    // dropped connection) returns the same record when sent again: exactly once. `material_conflicts`: both sides had
    // changed a spool; the newer edit won and the loser is kept here for the UI.
    sql: `
      CREATE TABLE material_links (
        spool_id TEXT PRIMARY KEY REFERENCES spools(id),
        cloud_id TEXT NOT NULL UNIQUE,
        local_synced_at INTEGER NOT NULL,
        cloud_updated_at TEXT NOT NULL,
        gone_at INTEGER,
        gone_by TEXT CHECK (gone_by IS NULL OR gone_by IN ('cloud', 'local'))
      );
      CREATE TABLE material_outbox (
        spool_id TEXT PRIMARY KEY REFERENCES spools(id),
        idem_key TEXT NOT NULL,
        queued_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE material_conflicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        spool_id TEXT NOT NULL,
        cloud_id TEXT NOT NULL,
        winner TEXT NOT NULL CHECK (winner IN ('cloud', 'local')),
        winner_edited_at INTEGER NOT NULL,
        loser_edited_at INTEGER NOT NULL,
        loser_json TEXT NOT NULL,
        changes_json TEXT NOT NULL,
        resolved_at INTEGER NOT NULL
      );
    `,
  },
];
