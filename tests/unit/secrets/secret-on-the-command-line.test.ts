/**
 * The attack: a printer's key passed as a flag value is readable by every user of the computer (`ps`,
 * /proc/<pid>/cmdline) and stays in shell history. apf refuses it, and reads the key from a private file,
 * standard input, APF_PRINTER_SECRET or a prompt without echo instead.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/headless/cli';
import { PRINTER_ADD_USAGE } from '../../../electron/headless/commands/printer-add';
import type { SecretTerminal } from '../../../electron/headless/secret-input';
import { startOctoPrintPeer, type OctoPrintPeer } from '../../peers/octoprint-peer';

const KEY = 'OCTO-KEY-FROM-A-SAFE-PLACE-7781';
let dir: string;
let octo: OctoPrintPeer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apf-secret-flags-'));
  octo = await startOctoPrintPeer({ apiKey: KEY });
});
afterEach(async () => {
  await octo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function apf(args: string[], opts: { env?: Record<string, string>; terminal?: SecretTerminal | null } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: opts.env ?? {}, terminal: opts.terminal ?? null });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const add = (...more: string[]) => ['printer', 'add', '--kind', 'octoprint', '--url', octo.url, '--data', dir, ...more];
const keyFile = (mode: number, text = `${KEY}\n`) => {
  const file = join(dir, `key-${mode.toString(8)}.txt`);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
};
function fakeTerminal(opts: { isTTY: boolean; stdin?: string; typed?: string }): SecretTerminal & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    isTTY: opts.isTTY,
    readAll: async () => opts.stdin ?? '',
    promptHidden: async (q) => {
      asked.push(q);
      return opts.typed ?? '';
    },
  };
}
/** The printer answers idle only when the app signs in with the right key. */
async function signsIn(): Promise<boolean> {
  const listed = await apf(['printers', '--json', '--data', dir]);
  return (JSON.parse(listed.out) as { state: string }[])[0]?.state === 'idle';
}

describe('a printer secret never comes from argv', () => {
  it.each([
    [['--key', KEY], '--key'],
    [[`--key=${KEY}`], '--key'],
    [['--access-code', KEY], '--access-code'],
    [['--key'], '--key'],
  ])('refuses %j, saying why and what to use, without repeating the value', async (flag, name) => {
    const r = await apf(add('--store-plaintext', ...flag));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${name} is no longer accepted`);
    expect(r.err).toContain('ps');
    expect(r.err).toMatch(/file|APF_PRINTER_SECRET|asked/);
    expect(r.err + r.out).not.toContain(KEY);
  });

  it('takes the key from a private --key-file (trimmed) and signs in with it', async () => {
    const r = await apf(add('--store-plaintext', '--key-file', keyFile(0o600, `  ${KEY}  \n`)));
    expect(r).toMatchObject({ code: 0 });
    expect(await signsIn()).toBe(true);
  });

  it('refuses a key file other users can read, and says how to fix it', async () => {
    const file = keyFile(0o644);
    const r = await apf(add('--store-plaintext', '--key-file', file));
    expect(r.code).toBe(2);
    expect(r.err).toContain('can be read by other users (mode 644)');
    expect(r.err).toContain(`chmod 600 ${file}`);
    expect(r.err).not.toContain(KEY);
  });

  it('reads the key from standard input with --key-file -', async () => {
    const r = await apf(add('--store-plaintext', '--key-file', '-'), { terminal: fakeTerminal({ isTTY: false, stdin: `${KEY}\n` }) });
    expect(r.code).toBe(0);
    expect(await signsIn()).toBe(true);
  });

  it('will not wait for a key on a terminal with --key-file -: it says to pipe it or be asked', async () => {
    const r = await apf(add('--store-plaintext', '--key-file', '-'), { terminal: fakeTerminal({ isTTY: true }) });
    expect(r.code).toBe(2);
    expect(r.err).toContain('pipe the API key in');
  });

  it('reads the key from APF_PRINTER_SECRET', async () => {
    expect((await apf(add('--store-plaintext'), { env: { APF_PRINTER_SECRET: KEY } })).code).toBe(0);
    expect(await signsIn()).toBe(true);
  });

  it('asks for the key without echo on a terminal when no other source is given', async () => {
    const terminal = fakeTerminal({ isTTY: true, typed: KEY });
    const r = await apf(add('--store-plaintext'), { terminal });
    expect(r.code).toBe(0);
    expect(terminal.asked).toEqual(['API key (Enter for none): ']);
    expect(r.out + r.err).not.toContain(KEY);
    expect(await signsIn()).toBe(true);
  });

  it('refuses a Bambu printer with no access code from anywhere, naming the ways to give one', async () => {
    const r = await apf(['printer', 'add', '--kind', 'bambu', '--url', '10.0.0.7', '--serial', '01S00C1', '--store-plaintext', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--access-code-file FILE');
    expect(r.err).toContain('APF_PRINTER_SECRET');
  });

  it('documents only the safe ways in its usage text', () => {
    expect(PRINTER_ADD_USAGE).not.toMatch(/--key KEY|--access-code C\b/);
    expect(PRINTER_ADD_USAGE).toContain('--key-file FILE');
    expect(PRINTER_ADD_USAGE).toContain('--access-code-file FILE');
    expect(PRINTER_ADD_USAGE).toContain('APF_PRINTER_SECRET');
  });
});
