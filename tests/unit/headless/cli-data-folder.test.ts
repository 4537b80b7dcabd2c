import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/headless/cli';
import { portsCommand } from '../../../electron/headless/commands/ports';

const root = join(__dirname, '../../..');
const FIXTURE = join(root, 'tests/fixtures/gcode/prusaslicer.gcode');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apf-cli-data-'));
  // The settings file as the app writes it (conf, dot notation): one saved USB printer.
  const saved = [{ id: 'prn_bench00000001', name: 'Bench MK3', kind: 'marlin', embedded: false, port: '/dev/ttyUSB3', baudRate: 115200 }];
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ printers: { saved } }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function apf(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('--data on every apf command', () => {
  it('is accepted by the commands that keep no data, which then work as without it', async () => {
    const analyzed = await apf('analyze', '--data', dir, FIXTURE, '--json');
    expect(analyzed.code).toBe(0);
    expect(JSON.parse(analyzed.out)).toMatchObject({ slicer: { name: 'PrusaSlicer' } });
    const virtual = await apf('virtual-printer', `--data=${dir}`);
    expect(virtual.err).not.toMatch(/Unknown option/);
    expect(virtual.err).toMatch(/--pty/);
  });

  it('still asks for the folder when --data has no value', async () => {
    expect(await apf('analyze', FIXTURE, '--data')).toMatchObject({ code: 2, err: expect.stringContaining('--data needs a value') });
  });

  it('lets apf ports say which saved printer already uses a port', async () => {
    const out: string[] = [];
    const port = '/dev/ttyUSB3';
    const code = await portsCommand(
      ['--json', '--data', dir],
      { stdout: (s) => out.push(s), stderr: () => undefined },
      { nativeList: async () => [{ path: port }, { path: '/dev/ttyUSB7' }] },
    );
    expect(code).toBe(0);
    const listing = JSON.parse(out[0]!) as { ports: { path: string; savedPrinter: { name: string } | null }[] };
    expect(listing.ports.map((p) => [p.path, p.savedPrinter?.name ?? null])).toEqual([
      [port, 'Bench MK3'],
      ['/dev/ttyUSB7', null],
    ]);
  });

  it('lets apf print use a saved USB printer by name, with its port', async () => {
    const printed = await apf('print', '--printer', 'bench mk3', '--data', dir, '--quiet', FIXTURE);
    expect(printed.code).toBe(1);
    expect(printed.err).toContain('/dev/ttyUSB3');
  });

  it('names the saved USB printers when apf print --printer matches none', async () => {
    const printed = await apf('print', '--printer', 'Nope', '--data', dir, FIXTURE);
    expect(printed).toMatchObject({ code: 2, err: expect.stringContaining('Saved: Bench MK3 (prn_bench00000001)') });
  });
});
