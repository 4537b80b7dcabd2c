import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/headless/cli';
import { startBambuPeer } from '../../peers/bambu-peer';
import { startMoonrakerPeer, type MoonrakerPeer } from '../../peers/moonraker-peer';
import { startOctoPrintPeer, type OctoPrintPeer } from '../../peers/octoprint-peer';
import { startPrusaLinkPeer, type PrusaLinkPeer } from '../../peers/prusalink-peer';

let dir: string;
const peers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function apf(...args: string[]) {
  return apfWith({}, ...args);
}

/** Runs apf with the printer's secret where it now comes from: APF_PRINTER_SECRET (never a flag). */
async function apfWith(env: Record<string, string>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env, terminal: null });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const secret = (value: string) => ({ APF_PRINTER_SECRET: value });

describe('apf printer add / apf printers', () => {
  it('adds printers to a data folder and lists them with live state and temperatures', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    const moon: MoonrakerPeer = await startMoonrakerPeer();
    const octo: OctoPrintPeer = await startOctoPrintPeer({ apiKey: 'OCTO-CLI-KEY' });
    peers.push(moon, octo);
    moon.printer.setTemperatures(201, 61);
    octo.printer.setTemperatures(180, 50);
    expect((await apf('printer', 'add', '--kind', 'moonraker', '--url', moon.url, '--name', 'Voron', '--data', dir)).code).toBe(0);
    const added = await apfWith(secret('OCTO-CLI-KEY'), 'printer', 'add', '--kind', 'octoprint', '--url', octo.url, '--store-plaintext', '--data', dir);
    expect(added).toMatchObject({ code: 0, out: expect.stringContaining('in plaintext') });
    const settingsText = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(JSON.parse(settingsText).printers.saved).toHaveLength(2);

    const listed = await apf('printers', '--json', '--data', dir);
    expect(listed.code).toBe(0);
    const printers = JSON.parse(listed.out) as { name: string; kind: string; state: string; temperatures: { hotend: { actual: number } } }[];
    expect(printers).toEqual([
      expect.objectContaining({ name: 'Voron', kind: 'moonraker', state: 'idle', temperatures: expect.objectContaining({ hotend: { actual: 201, target: 0 } }) }),
      expect.objectContaining({ name: 'OctoPrint', kind: 'octoprint', state: 'idle', temperatures: expect.objectContaining({ hotend: { actual: 180, target: 0 } }) }),
    ]);
  });

  it('adds a PrusaLink printer with another digest user than maker, which then signs in (--username)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    const prusa: PrusaLinkPeer = await startPrusaLinkPeer({ password: 'shop-pass', username: 'workshop' });
    peers.push(prusa);
    const added = await apfWith(secret('shop-pass'), 'printer', 'add', '--kind', 'prusalink', '--url', prusa.url, '--username', 'workshop', '--store-plaintext', '--data', dir);
    expect(added.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).printers.saved[0]).toMatchObject({ kind: 'prusalink', auth: 'digest', username: 'workshop' });
    const listed = JSON.parse((await apf('printers', '--json', '--data', dir)).out) as { state: string }[];
    expect(listed[0]!.state).toBe('idle');
    expect((await apf('printer', 'add', '--kind', 'moonraker', '--url', prusa.url, '--username', 'x', '--data', dir)).err).toContain(
      '--username is the PrusaLink digest user name',
    );
  });

  it('connects before saving: says what answered, and saves nothing when the key is refused or no one answers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    const octo: OctoPrintPeer = await startOctoPrintPeer({ apiKey: 'OCTO-CLI-KEY' });
    peers.push(octo);
    const wrong = await apfWith(secret('NOT-IT'), 'printer', 'add', '--kind', 'octoprint', '--url', octo.url, '--store-plaintext', '--data', dir);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('refused the API key (HTTP 403: Invalid API key)');
    expect(wrong.err).toContain('Nothing was saved');
    expect(wrong.err).not.toContain('NOT-IT');
    const nobody = await apf('printer', 'add', '--kind', 'moonraker', '--url', 'http://127.0.0.1:9', '--data', dir);
    expect(nobody.code).toBe(1);
    expect(existsSync(join(dir, 'config.json')) ? (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).printers?.saved ?? []) : []).toEqual([]);
    const right = await apfWith(secret('OCTO-CLI-KEY'), 'printer', 'add', '--kind', 'octoprint', '--url', octo.url, '--store-plaintext', '--data', dir);
    expect(right.code).toBe(0);
    expect(right.out).toContain('OctoPrint 1.10.3 answered (idle).');
  });

  it('exits non-zero from apf printers when a printer refuses its key, naming it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    const octo: OctoPrintPeer = await startOctoPrintPeer({ apiKey: 'OCTO-CLI-KEY' });
    peers.push(octo);
    expect((await apfWith(secret('OCTO-CLI-KEY'), 'printer', 'add', '--kind', 'octoprint', '--url', octo.url, '--name', 'Octo', '--store-plaintext', '--data', dir)).code).toBe(0);
    octo.revokeKey();
    const listed = await apf('printers', '--json', '--data', dir);
    expect(listed.code).toBe(1);
    expect(listed.err).toContain('apf printers: Octo refused its key');
    expect(JSON.parse(listed.out)[0]).toMatchObject({ name: 'Octo', state: 'offline', credential: 'refused' });
  });

  it('refuses to save a key it could only keep in memory, and says how to proceed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    const r = await apfWith(secret('SECRET99'), 'printer', 'add', '--kind', 'bambu', '--url', '10.0.0.7', '--serial', '01S00C1', '--data', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--store-plaintext');
    expect(r.err).not.toContain('SECRET99');
  });

  it('prints the fingerprint of a Bambu certificate no bundled CA signed, and saves the printer pinned to it once given', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    const bambu = await startBambuPeer({ certificate: 'self-signed', accessCode: 'CLI12345' });
    peers.push(bambu);
    const args = [
      'printer',
      'add',
      '--kind',
      'bambu',
      '--url',
      bambu.host,
      '--serial',
      bambu.serial,
      '--mqtt-port',
      String(bambu.mqttPort),
      '--ftp-port',
      String(bambu.ftpPort),
      '--store-plaintext',
      '--data',
      dir,
    ];
    const refused = await apfWith(secret(bambu.accessCode), ...args);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('the access code was not sent');
    expect(refused.err).toContain(`fingerprint is ${bambu.certSha256}`);
    expect(existsSync(join(dir, 'config.json')) ? (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).printers?.saved ?? []) : []).toHaveLength(0);

    const added = await apfWith(secret(bambu.accessCode), ...args, '--trust-certificate', bambu.certSha256);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).printers.saved;
    expect(saved[0].certificatePin).toMatchObject({ sha256: bambu.certSha256 });
  });

  it('refuses to add a printer that is already saved, naming it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    expect((await apf('printer', 'add', '--kind', 'moonraker', '--url', 'http://127.0.0.1:9', '--name', 'Voron', '--no-check', '--data', dir)).code).toBe(0);
    const again = await apf('printer', 'add', '--kind', 'moonraker', '--url', '127.0.0.1:9/', '--name', 'Voron 2', '--data', dir);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already in the fleet as "Voron"');
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).printers.saved).toHaveLength(1);
  });

  it('lists an unreachable printer as offline with its reason', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-cli-'));
    await apf('printer', 'add', '--kind', 'moonraker', '--url', 'http://127.0.0.1:9', '--no-check', '--data', dir);
    const printers = JSON.parse((await apf('printers', '--json', '--data', dir)).out) as { state: string; reason: string }[];
    expect(printers[0]).toMatchObject({ state: 'offline', reason: expect.stringContaining('Nothing is listening') });
  });
});
