import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CredentialError } from '../../../electron/core/credentials/credential-error';
import type { CoolDownReport, PrinterNotice, PrinterView } from '../../../electron/core/contract';
import type { ReportedTray } from '../../../electron/core/contract/printer-model';
import type { FarmProfile, FarmSettings, HistoryEntry, JobView, LibraryFileView } from '../../../electron/core/contract/jobs-types';
import { Farm, type FarmFleet } from '../../../electron/core/jobs/farm';
import { Library } from '../../../electron/core/jobs/library';
import type { Clock } from '../../../electron/core/ports/clock';
import type { PrintSource } from '../../../electron/core/printers/driver';
import type { JobEnd, PrinterState, PrinterStatus } from '../../../electron/core/printers/model';
import { openDatabase, type Db } from '../../../electron/core/store/database';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/gcode', import.meta.url));

const CAPS = { setTemperature: true, home: true, jog: true, extrude: true, fan: true, motorsOff: true, console: true, emergencyStop: true, print: true, light: false };

/** A fleet of scripted printers: the test moves their states and ends their prints. */
export class ScriptedFleet implements FarmFleet {
  readonly printers = new Map<string, PrinterView>();
  readonly started: { printerId: string; name: string; amsTray?: number }[] = [];
  /** What each printer reports in its AMS (kept across state changes, as a Bambu printer reports it in every status). */
  readonly trays = new Map<string, ReportedTray[]>();
  readonly cancelled: string[] = [];
  /** The next start fails with this (a string is a plain Error, the kind a network hiccup throws). */
  failNextStart: string | Error | null = null;
  private readonly statusL = new Set<(id: string, s: PrinterStatus) => void>();
  private readonly endL = new Set<(id: string, e: JobEnd) => void>();
  private readonly changeL = new Set<() => void>();

  add(id: string, state: PrinterState = { kind: 'idle' }, kind: PrinterView['kind'] = 'virtual'): void {
    this.printers.set(id, { id, name: `Printer ${id}`, kind, embedded: false, capabilities: CAPS, status: status(state), notice: null });
    for (const l of this.changeL) l();
  }
  remove(id: string): void {
    this.printers.delete(id);
    for (const l of this.changeL) l();
  }
  setState(id: string, state: PrinterState, temps?: PrinterStatus['temperatures']): void {
    const p = this.printers.get(id)!;
    const trays = this.trays.get(id);
    p.status = { ...status(state), ...(temps ? { temperatures: temps } : {}), ...(trays ? { trays } : {}) };
    for (const l of this.statusL) l(id, p.status);
  }
  /** The printer reports these AMS trays from now on. */
  setTrays(id: string, trays: ReportedTray[]): void {
    this.trays.set(id, trays);
    this.setState(id, this.printers.get(id)!.status.state);
  }
  /** The printer reports printing with its heaters at target, so the job leaves `starting`. */
  warmUp(id: string): void {
    this.setState(id, printing(0.1), { hotend: { actual: 215, target: 215 }, bed: { actual: 60, target: 60 } });
  }
  end(id: string, outcome: JobEnd['outcome'], at = 0): void {
    for (const l of this.endL) l(id, { fileName: 'x', outcome, at });
    this.setState(id, { kind: 'idle' });
  }
  /** Only the driver's report of how a print ended, with no state change (drivers may send the two in either order). */
  reportEnd(id: string, end: JobEnd): void {
    for (const l of this.endL) l(id, end);
  }
  list(): PrinterView[] {
    return [...this.printers.values()];
  }
  async startPrint(printerId: string, source: PrintSource): Promise<void> {
    if (this.failNextStart) {
      const why = this.failNextStart;
      this.failNextStart = null;
      // A network driver whose key is refused goes offline asking for it before the start fails (LanDriver).
      if (why instanceof CredentialError) this.setState(printerId, { kind: 'offline', reason: why.message, credential: { problem: why.problem, what: why.what } });
      throw typeof why === 'string' ? new Error(why) : why;
    }
    this.started.push({ printerId, name: source.name, ...(source.amsTray !== undefined ? { amsTray: source.amsTray } : {}) });
    this.setState(printerId, printing(0));
  }
  /** Cool-downs asked for; a printer id in `refuseCoolDown` fails with that error instead. */
  readonly cooledDown: string[] = [];
  refuseCoolDown = new Map<string, Error>();
  async coolDown(printerId: string): Promise<CoolDownReport> {
    const refusal = this.refuseCoolDown.get(printerId);
    if (refusal) throw refusal;
    this.cooledDown.push(printerId);
    const { hotend, bed } = this.printers.get(printerId)!.status.temperatures;
    return { hotend, bed, fanOff: true, motorsOff: true };
  }
  setNotice(printerId: string, notice: PrinterNotice | null): void {
    this.printers.get(printerId)!.notice = notice;
  }
  async cancelPrint(printerId: string): Promise<void> {
    this.cancelled.push(printerId);
    this.end(printerId, { kind: 'cancelled' });
  }
  onPrinterStatus(l: (id: string, s: PrinterStatus) => void) {
    this.statusL.add(l);
    return () => void this.statusL.delete(l);
  }
  onJobEnd(l: (id: string, e: JobEnd) => void) {
    this.endL.add(l);
    return () => void this.endL.delete(l);
  }
  onPrintersChanged(l: () => void) {
    this.changeL.add(l);
    return () => void this.changeL.delete(l);
  }
}

export function printing(fraction: number): PrinterState {
  return { kind: 'printing', job: { fileName: 'x', fraction, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds: null } };
}

function status(state: PrinterState): PrinterStatus {
  return { state, temperatures: { hotend: { actual: 20, target: 0 }, bed: { actual: 20, target: 0 } }, position: null, firmware: null };
}

/** A clock tests move by hand; timers never fire on their own. */
export function stepClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => ({ cancel() {} }),
    setInterval: () => ({ cancel() {} }),
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface FarmHarness {
  dir: string;
  db: Db;
  fleet: ScriptedFleet;
  library: Library;
  farm: Farm;
  clock: ReturnType<typeof stepClock>;
  jobEvents: JobView[][];
  profileEvents: FarmProfile[];
  historyEvents: HistoryEntry[];
  settingsEvents: FarmSettings[];
  libraryEvents: LibraryFileView[];
  /** A new Farm over the same database and folder, as after a restart. */
  restart(): Promise<FarmHarness>;
  close(): Promise<void>;
}

export async function createFarmHarness(
  opts: { dir?: string; fleet?: ScriptedFleet; clock?: ReturnType<typeof stepClock>; onJobs?: (jobs: JobView[], db: Db) => void } = {},
): Promise<FarmHarness> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'apf-farm-'));
  const db = openDatabase(dir);
  const fleet = opts.fleet ?? new ScriptedFleet();
  const clock = opts.clock ?? stepClock();
  const jobEvents: JobView[][] = [];
  const profileEvents: FarmProfile[] = [];
  const historyEvents: HistoryEntry[] = [];
  const settingsEvents: FarmSettings[] = [];
  const libraryEvents: LibraryFileView[] = [];
  const library = new Library(db, dir, clock, { updated: (f) => libraryEvents.push(f), removed: () => {}, failed: () => {} });
  const farm = new Farm(
    db,
    fleet,
    {
      fileForJob: (sha) => {
        try {
          const f = library.get(sha);
          return { name: f.name, ready: f.status === 'ready', filamentMm: f.filamentMm, filamentG: f.filamentG, material: f.material, heats: f.heats ?? null };
        } catch {
          return null;
        }
      },
      source: (sha, name) => library.source(sha, name),
      fileNamed: (name) => {
        const f = library.findReadyByName(name);
        return f && { sha256: f.sha256, filamentMm: f.filamentMm, filamentG: f.filamentG, material: f.material };
      },
    },
    clock,
    {
      jobs: (j) => {
        opts.onJobs?.(j, db);
        jobEvents.push(j);
      },
      profile: (p) => profileEvents.push(p),
      settings: (s) => settingsEvents.push(s),
      history: (h) => historyEvents.push(h),
    },
  );
  farm.start();
  const h: FarmHarness = {
    dir,
    db,
    fleet,
    library,
    farm,
    clock,
    jobEvents,
    profileEvents,
    historyEvents,
    settingsEvents,
    libraryEvents,
    async restart() {
      await farm.close();
      await library.close();
      db.close();
      return createFarmHarness({ dir, fleet, clock });
    },
    async close() {
      await farm.close();
      await library.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Adds a fixture file and waits for its full analysis. */
export async function addReadyFile(h: FarmHarness, fixture = 'prusaslicer.gcode'): Promise<LibraryFileView> {
  const { file } = await h.library.addFromPath(join(FIXTURES, fixture));
  await h.library.analysesSettled();
  return h.library.get(file.sha256);
}

/** A print under way: one copy of a ready fixture queued for any printer, dispatched to `printerId` and warmed up. */
export async function printOne(h: FarmHarness, printerId: string): Promise<{ job: JobView; file: LibraryFileView }> {
  const file = await addReadyFile(h);
  const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
  await h.farm.settled();
  h.fleet.warmUp(printerId);
  return { job: job!, file };
}
