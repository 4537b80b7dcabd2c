import { CAPABILITIES, type MethodName } from '../../core/contract';
import type { SignInView } from '../../core/contract/sign-in-types';
import { readEnvFiles } from '../../core/cloud-account';
import type { Core } from '../../core/core';
import { defaultDataDir } from '../data-dir';
import { parseArgs, UsageError, type CommandIo } from '../args';
import { holdStopSignals } from '../stop-signals';
import { openCliCore } from './lan-core';

export const LOGIN_USAGE = `Usage: apf login [--data DIR]   |   apf logout [--data DIR]
  login    signs this data folder in with AutoPrintFarm: shows a code and a link to open on a phone or another
           computer, and waits (up to 10 minutes) while you approve there
  logout   signs out and revokes the sign-in at the cloud
  --data DIR   data folder (default: the desktop app's folder, or $APF_DATA_DIR)
The cloud's address is AUTOPRINTFARM_API_URL (environment or .env), as for apf serve.`;

/** `apf login` and `apf logout`: the device grant (RFC 8628) for a farm PC without a browser of its own. */
export function signInCommand(action: 'login' | 'logout') {
  return async (args: string[], io: CommandIo): Promise<number> => {
    if (args.includes('--help')) {
      io.stdout(LOGIN_USAGE);
      return 0;
    }
    const parsed = parseArgs(args, { data: 'string' });
    if (parsed.positionals.length) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}.`);
    const dataDir = parsed.values.data ?? defaultDataDir();
    const { core, close } = openCliCore(dataDir, io, undefined, { env: process.env, envFileText: readEnvFiles([dataDir, process.cwd()]) });
    // Ctrl-C while waiting abandons the sign-in and closes the data folder properly.
    const signals = holdStopSignals();
    try {
      if (action === 'logout') {
        await call(core, 'signIn.signOut');
        io.stdout('Signed out; the sign-in was revoked at the cloud.');
        return 0;
      }
      const done = new Promise<SignInView>((resolve) => {
        const off = core.events.subscribe((name, payload) => {
          const v = payload as SignInView;
          if (name === 'signIn.status' && (v.state === 'signed-in' || (v.state === 'signed-out' && v.problem))) {
            off();
            resolve(v);
          }
        });
      });
      const started = await call(core, 'signIn.device');
      if (started.state !== 'device') {
        io.stderr(`apf login: ${started.problem ?? 'the sign-in could not start.'}`);
        return 1;
      }
      io.stdout(`To sign in, open ${started.verificationUri} and enter the code ${started.userCode}`);
      if (started.verificationUriComplete) io.stdout(`(or open ${started.verificationUriComplete} directly)`);
      io.stdout('Waiting for you to approve…');
      const end = await Promise.race([done, signals.stopped.then(() => null)]);
      if (end === null) {
        await call(core, 'signIn.cancel');
        io.stderr('apf login: cancelled.');
        return 130;
      }
      if (end.state !== 'signed-in') {
        io.stderr(`apf login: ${end.problem ?? 'the sign-in did not finish.'}`);
        return 1;
      }
      io.stdout(`Signed in as ${end.who}${end.organization ? ` (${end.organization})` : ''} with ${end.scopes.join(', ')}.`);
      if (end.kept === 'session-only') {
        io.stderr(
          'This computer has no keyring, so the sign-in could not be saved and ends with this command. Sign in from the page apf serve prints instead (it keeps the sign-in while it runs), or set up a keyring.',
        );
        return 1;
      }
      return 0;
    } finally {
      signals.release();
      await close();
    }
  };
}

async function call(core: Core, method: MethodName): Promise<SignInView> {
  const out = await core.dispatch(method, undefined, { capabilities: new Set(CAPABILITIES) });
  if (!out.ok) throw new Error(out.error.message);
  return out.result as SignInView;
}
