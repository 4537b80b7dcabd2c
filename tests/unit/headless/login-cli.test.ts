/** `apf login` against the sandbox: the code and the link are shown, the person approves on another device. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/headless/cli';
import { getPage, submit } from '../../sandbox/oauth-support';
import { startSandbox, type Sandbox } from '../../sandbox/server';

let sb: Sandbox | null = null;
let dir = '';
const savedUrl = process.env.AUTOPRINTFARM_API_URL;
afterEach(async () => {
  await sb?.close();
  sb = null;
  rmSync(dir, { recursive: true, force: true });
  if (savedUrl === undefined) delete process.env.AUTOPRINTFARM_API_URL;
  else process.env.AUTOPRINTFARM_API_URL = savedUrl;
});

describe('apf login', () => {
  it('shows the code and the link, waits for the approval, and says plainly that a computer without a keyring cannot keep the sign-in', async () => {
    sb = await startSandbox({ oauth: { deviceIntervalSeconds: 1 } });
    process.env.AUTOPRINTFARM_API_URL = sb.url;
    dir = mkdtempSync(join(tmpdir(), 'apf-login-'));
    const out: string[] = [];
    const err: string[] = [];
    const target = sb;
    let approving: Promise<unknown> | null = null;
    const code = await runCli(['login', '--data', dir], {
      stdout: (line) => {
        out.push(line);
        const link = /or open (\S+) directly/.exec(line)?.[1];
        const userCode = /enter the code (\S+)/.exec(out.join('\n'))?.[1];
        if (link && userCode && !approving) {
          approving = (async () => {
            const entry = await getPage(link);
            const consent = await submit(target, entry.html, { userCode });
            await submit(target, consent.html);
          })();
        }
      },
      stderr: (line) => err.push(line),
    });
    expect(out.join('\n')).toMatch(new RegExp(`open ${sb.issuer}/oauth/device and enter the code [A-Z]{4}-[A-Z]{4}`));
    expect(out.join('\n')).toContain(`Signed in as ${sb.demoUser.email}`);
    // apf's data folders have no keyring here (secretBox: null): the sign-in cannot outlive the command.
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/no keyring, so the sign-in could not be saved/);
  }, 30_000);
});
