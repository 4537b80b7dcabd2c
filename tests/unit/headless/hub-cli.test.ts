/** `apf hub` on a data folder against the sandbox: link, status, unlink, with the key from the environment. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/headless/cli';
import { hubKey } from '../../sandbox/hub-fixtures';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { call } from '../../sandbox/test-support';

let sb: Sandbox | null = null;
let dir = '';
const saved = { key: process.env.AUTOPRINTFARM_API_KEY, url: process.env.AUTOPRINTFARM_API_URL };
afterEach(async () => {
  await sb?.close();
  sb = null;
  rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of [
    ['AUTOPRINTFARM_API_KEY', saved.key],
    ['AUTOPRINTFARM_API_URL', saved.url],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function apf(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('apf hub', () => {
  it('links the data folder as a hub, reports it connected, and unlinks it in the cloud', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const key = hubKey(sb);
    process.env.AUTOPRINTFARM_API_KEY = key;
    process.env.AUTOPRINTFARM_API_URL = sb.url;
    dir = mkdtempSync(join(tmpdir(), 'apf-hub-cli-'));

    expect(JSON.parse((await apf('hub', 'status', '--json', '--data', dir)).out)).toMatchObject({ state: 'not_linked' });
    const linked = await apf('hub', 'link', '--name', 'Room A', '--json', '--data', dir);
    expect(linked.code, linked.err).toBe(0);
    const status = JSON.parse(linked.out) as { hubId: string };
    expect(status).toMatchObject({ state: 'connected', name: 'Room A', outboxDepth: 0, published: [] });
    expect((await call(sb, key, 'GET', `/hubs/${status.hubId}`)).json).toMatchObject({ name: 'Room A' });

    // A later command on the same folder is the same hub, still linked.
    const again = await apf('hub', 'status', '--data', dir);
    expect(again.out).toContain(`hub ${status.hubId} "Room A": connected`);

    const unlinked = await apf('hub', 'unlink', '--json', '--data', dir);
    expect(JSON.parse(unlinked.out)).toMatchObject({ state: 'not_linked' });
    expect((await call(sb, key, 'GET', `/hubs/${status.hubId}`)).status).toBe(404);
  }, 30_000);

  it('publishing before linking is refused with the reason and exit code 1', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-hub-cli-'));
    delete process.env.AUTOPRINTFARM_API_KEY;
    const res = await apf('hub', 'publish', 'nope', '--data', dir);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/^apf hub publish: Link this computer as a hub before publishing printers/);
  });

  it('an unknown action is a usage error', async () => {
    expect((await apf('hub', 'explode')).code).toBe(2);
  });
});
