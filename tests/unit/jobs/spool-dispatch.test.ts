import { afterEach, describe, expect, it } from 'vitest';
import type { SpoolFields } from '../../../electron/core/contract/materials-types';
import { addReadyFile, createFarmHarness, printing, type FarmHarness } from './farm-fixture';

// prusaslicer.gcode states PLA and 3.68 g.
const SPOOL: SpoolFields = {
  material: 'PLA',
  brand: 'Acme',
  colourHex: '#000000',
  colourName: '',
  diameterMm: 1.75,
  densityGCm3: 1.24,
  netWeightG: 1000,
  remainingG: 1000,
  cost: null,
  lot: '',
};
const ANY = { kind: 'any', requirements: {} } as const;

let h: FarmHarness;
afterEach(async () => h?.close());

async function farmWith(printers: Record<string, Partial<SpoolFields> | null>): Promise<Record<string, string>> {
  h = await createFarmHarness();
  const ids: Record<string, string> = {};
  for (const [printerId, spool] of Object.entries(printers)) {
    h.fleet.add(printerId);
    if (spool) {
      const s = h.farm.spools.create({ ...SPOOL, ...spool });
      h.farm.spools.load(s.id, { printerId, slot: 0 });
      ids[printerId] = s.id;
    }
  }
  return ids;
}

async function queue(copies = 1) {
  const file = await addReadyFile(h);
  const jobs = h.farm.enqueue({ fileSha256: file.sha256, copies, priority: 'normal', target: ANY });
  await h.farm.settled();
  return { file, jobs };
}

describe('the queue matches jobs to the spool loaded', () => {
  it("a job takes its material from the file and goes to the printer with that material loaded, not another's", async () => {
    await farmWith({ a: { material: 'PETG' }, b: { material: 'PLA+' } });
    const { jobs } = await queue();
    expect(jobs[0]!.need).toMatchObject({ material: 'PLA', grams: 3.68, edited: false });
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['b']);
  });

  it('a job no loaded spool can hold waits and says why; loading a fuller spool starts it', async () => {
    await farmWith({ a: { remainingG: 2 } });
    const { jobs } = await queue();
    expect(h.fleet.started).toEqual([]);
    const waiting = h.farm.get(jobs[0]!.id).waiting;
    expect(waiting).toBe("No printer has PLA with ≥ 3.7 g loaded: Printer a has 2 g left. Load a matching spool, or edit the job's material.");
    // The reason reaches the UI with the job.
    expect(h.jobEvents.flat().some((j) => j.id === jobs[0]!.id && j.waiting === waiting)).toBe(true);
    const full = h.farm.spools.create(SPOOL);
    h.farm.spools.load(full.id, { printerId: 'a', slot: 0 });
    await h.farm.settled();
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['a']);
    expect(h.farm.get(jobs[0]!.id)).toMatchObject({ state: 'starting', waiting: null });
  });

  it('a job whose edited colour no printer has waits; a spool of that colour (within tolerance) takes it', async () => {
    await farmWith({ a: { colourHex: '#000000' } });
    const file = await addReadyFile(h);
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: ANY });
    // Edited in the same turn it was queued: the dispatcher decides on the next turn, with the edit.
    h.farm.setNeed(job!.id, { material: 'PLA', colourHex: '#FFFFFF', colourName: null });
    await h.farm.settled();
    expect(h.fleet.started).toEqual([]);
    expect(h.farm.get(job!.id).waiting).toContain('No printer has PLA white with ≥ 3.7 g loaded: Printer a has black loaded');
    const natural = h.farm.spools.create({ ...SPOOL, colourHex: '#FFF2EC', colourName: 'Natural' });
    h.farm.spools.load(natural.id, { printerId: 'a', slot: 0 });
    await h.farm.settled();
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['a']);
  });

  it('only a queued job’s material can be edited', async () => {
    await farmWith({ a: null });
    const { jobs } = await queue();
    expect(() => h.farm.setNeed(jobs[0]!.id, { material: 'PETG', colourHex: null, colourName: null })).toThrow(/Only a queued job's material can be changed/);
  });

  it('a printer with no spool loaded takes any job, as before spools; with spools required the job waits', async () => {
    await farmWith({ a: null });
    await queue();
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['a']);
    await h.close();
    await farmWith({ a: null });
    h.farm.updateSettings({ materialMatching: 'require-spool' });
    const { jobs } = await queue();
    expect(h.fleet.started).toEqual([]);
    expect(h.farm.get(jobs[0]!.id).waiting).toContain('Printer a has no spool loaded');
  });

  it('with matching off, a job goes to a printer whatever spool it has', async () => {
    await farmWith({ a: { material: 'PETG', remainingG: 1 } });
    h.farm.updateSettings({ materialMatching: 'off' });
    await queue();
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['a']);
  });

  it("a material asked for when queueing is met by the loaded spool's material as well as by the profile's", async () => {
    await farmWith({ a: { material: 'PETG' }, b: null });
    h.farm.updateProfile('b', { material: 'PETG' });
    const file = await addReadyFile(h);
    h.farm.enqueue({ fileSha256: file.sha256, copies: 2, priority: 'normal', target: { kind: 'any', requirements: { material: 'petg' } } });
    await h.farm.settled();
    expect(h.fleet.started.map((s) => s.printerId).sort()).toEqual(['a', 'b']);
  });
});

describe('a print takes its filament off the spool it started with', () => {
  it("a completed print deducts the file's stated grams, and its history names the spool's material", async () => {
    const spools = await farmWith({ a: { material: 'PLA+' } });
    const { jobs } = await queue();
    h.fleet.warmUp('a');
    h.fleet.end('a', { kind: 'completed' });
    // The driver reports the same end again (drivers may send state and outcome separately).
    h.fleet.reportEnd('a', { fileName: 'x', outcome: { kind: 'completed' }, at: 0 });
    expect(h.farm.spools.require(spools.a!).remainingG).toBe(1000 - 3.68);
    expect(h.farm.spools.usage(spools.a!)).toEqual([expect.objectContaining({ jobId: jobs[0]!.id, grams: 3.68, fraction: 1 })]);
    expect(h.farm.history.list({ limit: 10 }).find((e) => e.jobId === jobs[0]!.id)?.material).toBe('PLA+');
  });

  it('a print that fails at 40 % deducts 40 % of the grams', async () => {
    const spools = await farmWith({ a: {} });
    await queue();
    h.fleet.warmUp('a');
    h.fleet.setState('a', printing(0.4));
    h.fleet.end('a', { kind: 'failed', reason: 'thermal runaway' });
    expect(h.farm.spools.require(spools.a!).remainingG).toBeCloseTo(1000 - 3.68 * 0.4, 2);
  });

  it('a spool swapped mid-print is not charged; the one the print started with is', async () => {
    const spools = await farmWith({ a: {} });
    await queue();
    h.fleet.warmUp('a');
    const other = h.farm.spools.create(SPOOL);
    h.farm.spools.load(other.id, { printerId: 'a', slot: 0 });
    h.fleet.end('a', { kind: 'completed' });
    expect(h.farm.spools.require(spools.a!).remainingG).toBe(1000 - 3.68);
    expect(h.farm.spools.require(other.id).remainingG).toBe(1000);
  });

  it('an end reported twice, and a crash mid-print recovered twice, deduct once', async () => {
    const spools = await farmWith({ a: {} });
    await queue();
    h.fleet.warmUp('a');
    h.fleet.setState('a', printing(0.5));
    h.clock.advance(10_000);
    h.fleet.setState('a', printing(0.5));
    // The app dies mid-print: the restart interrupts the job at its last checkpoint, and a second restart finds it ended.
    h = await h.restart();
    const after = h.farm.spools.require(spools.a!).remainingG;
    expect(after).toBeCloseTo(1000 - 3.68 * 0.5, 2);
    h = await h.restart();
    expect(h.farm.spools.require(spools.a!).remainingG).toBe(after);
    expect(h.farm.spools.usage(spools.a!)).toHaveLength(1);
  });
});

describe("a print's cost is kept with its history", () => {
  it("counts the spool's price for the grams used, the printer's electricity and its wear, at the prices when it ended", async () => {
    await farmWith({ a: { cost: 25 } });
    h.farm.costs.saveSettings({ currency: 'EUR', electricityPerKwh: 0.4, filamentPerKg: null });
    h.farm.costs.setPrinter({ printerId: 'a', watts: 100, wearPerHour: 0.5 });
    const { jobs } = await queue();
    h.fleet.warmUp('a');
    h.clock.advance(3 * 3_600_000);
    h.fleet.end('a', { kind: 'completed' }, h.clock.now());
    const entry = h.farm.history.list({ limit: 10 }).find((e) => e.jobId === jobs[0]!.id)!;
    // 3.68 g × 25/1000 = 0.092; 0.1 kW × 3 h × 0.4 = 0.12; 3 h × 0.5 = 1.5.
    expect(entry.cost).toEqual({ currency: 'EUR', filament: 0.09, energy: 0.12, wear: 1.5 });
    // A later price does not change what that print cost.
    h.farm.costs.saveSettings({ currency: 'EUR', electricityPerKwh: 4, filamentPerKg: null });
    expect(h.farm.history.list({ limit: 10 }).find((e) => e.jobId === jobs[0]!.id)!.cost).toEqual(entry.cost);
  });
});
