import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleThreeMf } from '../../support/zip-writer';
import { createFarmHarness, type FarmHarness } from './farm-fixture';

const FIXTURES = join(__dirname, '../../fixtures/gcode');
let h: FarmHarness;
let scratch: string;
afterEach(async () => {
  await h?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function addBambuProject(): Promise<string> {
  scratch = mkdtempSync(join(tmpdir(), 'apf-3mf-'));
  const path = join(scratch, 'cube.gcode.3mf');
  writeFileSync(path, sampleThreeMf({ plates: { 1: readFileSync(join(FIXTURES, 'bambustudio.gcode'), 'utf8') } }));
  const { file } = await h.library.addFromPath(path);
  await h.library.analysesSettled();
  return file.sha256;
}

describe('the queue and Bambu project files', () => {
  it('sends a .gcode.3mf queued for any printer to the Bambu printer, never to another kind', async () => {
    h = await createFarmHarness();
    h.fleet.add('usb', { kind: 'idle' }, 'marlin');
    h.fleet.add('p1s', { kind: 'idle' }, 'bambu');
    const sha = await addBambuProject();
    const [job] = h.farm.enqueue({ fileSha256: sha, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(h.farm.get(job!.id)).toMatchObject({ state: 'starting', printerId: 'p1s' });
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['p1s']);
  });

  it('refuses to queue a .gcode.3mf for a printer that cannot unpack it, saying what to do', async () => {
    h = await createFarmHarness();
    h.fleet.add('usb', { kind: 'idle' }, 'marlin');
    const sha = await addBambuProject();
    expect(() => h.farm.enqueue({ fileSha256: sha, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'usb' } })).toThrow(
      /Printer usb cannot print a \.gcode\.3mf.*Queue it for a Bambu printer/,
    );
    expect(h.farm.list()).toEqual([]);
  });
});
