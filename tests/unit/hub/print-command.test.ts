import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localPriorityOf, runPrintCommand, type PrintCommand } from '../../../electron/core/hub/print-command';
import { createFarmHarness, FIXTURES, type FarmHarness } from '../jobs/farm-fixture';

/** A print_command against the real farm and library, with the signed link served from loopback. */
let h: FarmHarness;
let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
  await h?.close();
});

const GCODE = readFileSync(join(FIXTURES, 'prusaslicer.gcode'));
const SHA = createHash('sha256').update(GCODE).digest('hex');

async function serveFile(body: Buffer): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/f1?sig=x`;
}

async function setup() {
  h = await createFarmHarness();
  h.fleet.add('a');
  const sent: Record<string, unknown>[] = [];
  const deps = {
    localPrinterOf: (cloudId: string) => (cloudId === 'cp-1' ? 'a' : null),
    acceptedJob: (cloudJobId: string) => h.farm.list(100).find((j) => j.cloud?.jobId === cloudJobId) ?? null,
    addToLibrary: async (path: string, name: string) => {
      const { file } = await h.library.addFromPath(path, name);
      await h.library.analysesSettled();
      return { sha256: file.sha256 };
    },
    enqueue: (req: Parameters<FarmHarness['farm']['enqueue']>[0]) => h.farm.enqueue(req),
    send: (m: Record<string, unknown>) => (sent.push(m), true),
    scratchDir: join(h.dir, 'hub-downloads'),
  };
  return { sent, deps };
}

const command = (url: string, extra: Partial<PrintCommand> = {}): PrintCommand => ({
  type: 'print_command',
  command_id: 'cmd-1',
  printer_id: 'cp-1',
  job_id: 'cj-1',
  action: 'start',
  file_url: url,
  file_name: 'cube.gcode',
  file_sha256: SHA,
  file_size: GCODE.length,
  ...extra,
});

describe('a print_command from the cloud', () => {
  it('downloads the file, queues it on that printer through the farm, and acknowledges once committed', async () => {
    const { sent, deps } = await setup();
    await runPrintCommand(command(await serveFile(GCODE)), deps);
    const jobs = h.farm.list(10).filter((j) => j.cloud?.jobId === 'cj-1');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ fileName: 'cube.gcode', target: { kind: 'printer', printerId: 'a' }, cloud: { jobId: 'cj-1', printerId: 'cp-1' } });
    expect(sent.at(-1)).toEqual({ type: 'command_ack', command_id: 'cmd-1', success: true });
    expect(sent.some((m) => m.type === 'file_progress' && m.stage === 'complete')).toBe(true);
  });

  it('acknowledges a repeated command without printing it twice', async () => {
    const { sent, deps } = await setup();
    const url = await serveFile(GCODE);
    await runPrintCommand(command(url), deps);
    await runPrintCommand(command(url, { command_id: 'cmd-2' }), deps);
    expect(h.farm.list(10).filter((j) => j.cloud?.jobId === 'cj-1')).toHaveLength(1);
    expect(sent.at(-1)).toEqual({ type: 'command_ack', command_id: 'cmd-2', success: true });
  });

  it('refuses a file that does not match its checksum, saying so in the ack and the progress, and queues nothing', async () => {
    const { sent, deps } = await setup();
    await runPrintCommand(command(await serveFile(Buffer.concat([GCODE, Buffer.from('\nG1 X1\n')])), { file_size: GCODE.length + 7 }), deps);
    expect(h.farm.list(10)).toHaveLength(0);
    expect(sent.at(-1)).toMatchObject({ type: 'command_ack', success: false, error: expect.stringContaining('does not match its checksum') });
    expect(sent.find((m) => m.stage === 'failed')).toMatchObject({ error: expect.stringContaining('checksum') });
  });

  it('refuses a printer this hub does not publish', async () => {
    const { sent, deps } = await setup();
    await runPrintCommand(command(await serveFile(GCODE), { printer_id: 'cp-other' }), deps);
    expect(sent.at(-1)).toMatchObject({ type: 'command_ack', success: false, error: expect.stringContaining('does not publish the printer cp-other') });
  });
});

describe("the cloud's priority", () => {
  it('puts an urgent cloud job at the urgent end of the local queue, and keeps the cloud figure, also after a restart', async () => {
    const { deps } = await setup();
    await runPrintCommand(command(await serveFile(GCODE), { priority: 200 }), deps);
    expect(h.farm.list(10).find((j) => j.cloud?.jobId === 'cj-1')).toMatchObject({ priority: 'urgent', cloud: { priority: 200 } });
    h = await h.restart();
    expect(h.farm.list(10).find((j) => j.cloud?.jobId === 'cj-1')).toMatchObject({ priority: 'urgent', cloud: { priority: 200 } });
  });

  it('maps to the local queue by the nearest step down: low 10, normal 50, high 100, urgent 200', () => {
    expect([0, 10, 49, 50, 99, 100, 199, 200, 255, undefined].map(localPriorityOf)).toEqual([
      'low',
      'low',
      'low',
      'normal',
      'normal',
      'high',
      'high',
      'urgent',
      'urgent',
      'normal',
    ]);
  });
});
