import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from './free-port';

/**
 * The printer's implicit-FTPS server (TLS from the first byte, as Bambu printers serve on port 990), played
 * by Debian's ProFTPD (packages proftpd-core and proftpd-mod-crypto for mod_tls). One `proftpd -n` per peer,
 * configured in a temp dir: loopback only, a free port, a virtual user from an AuthUserFile (Bambu's login
 * is the fixed user `bblp`, which no system account or PAM service has to exist for), chrooted (as root) to
 * an upload dir. Nothing under /etc is read or written.
 */
export interface FtpsPeer {
  port: number;
  /** Every completed upload, by file name. */
  files: Map<string, Buffer>;
  /** The user name of every password attempt, in order (read from ProFTPD's log). */
  logins: string[];
  close(): Promise<void>;
}

interface FtpsOptions {
  cert: Buffer;
  key: Buffer;
  user: string;
  password: string;
  /**
   * Called with the name and bytes of each completed upload. ProFTPD renames the finished file into place
   * before it answers 226, so the inotify event is queued before the client can act on the upload (Bambu
   * then sends project_file through the MQTT broker, several event-loop turns later).
   */
  onStored?: (name: string, data: Buffer) => void;
}

/** ProFTPD writes an upload as `.in.<name>.` and renames it when complete (HiddenStores). */
const isPartial = (name: string) => name.startsWith('.in.') && name.endsWith('.');

/** True once the server greets a TLS client with its 220 banner, i.e. it is really serving implicit FTPS. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    const done = (ok: boolean) => (sock.destroy(), resolve(ok));
    sock.once('data', (d: Buffer) => done(d.toString('latin1').startsWith('220')));
    sock.once('error', () => done(false));
    sock.once('close', () => done(false));
  });
}

function certificateDirectives(key: Buffer, certFile: string, keyFile: string): string[] {
  const type = createPrivateKey(key).asymmetricKeyType;
  if (type === 'ec') return [`TLSECCertificateFile ${certFile}`, `TLSECCertificateKeyFile ${keyFile}`];
  if (type === 'rsa') return [`TLSRSACertificateFile ${certFile}`, `TLSRSACertificateKeyFile ${keyFile}`];
  throw new Error(`ProFTPD takes RSA or EC keys, not ${type}`);
}

function writeConfig(dir: string, uploads: string, port: number, opts: FtpsOptions): string {
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  // The hash goes through stdin so the password never shows in a process listing.
  const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: `${opts.password}\n` })
    .toString()
    .trim();
  const users = file('passwd', `${opts.user}:${hash}:${uid}:${gid}::${uploads}:/bin/false\n`);
  const groups = file('group', `${opts.user}:x:${gid}:\n`);
  // A printer presents its certificate with the intermediate that signed it; ProFTPD takes the two apart.
  const [leaf, ...intermediates] = opts.cert.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  const certFile = file('cert.pem', leaf ?? opts.cert);
  const chainFile = intermediates.length ? file('chain.pem', intermediates.join('')) : null;
  const keyFile = file('key.pem', opts.key);
  const asRoot = uid === 0;
  const lines = [
    'ServerType standalone',
    'ServerName "Printer FTPS stand-in"',
    'DefaultAddress 127.0.0.1',
    'SocketBindTight on',
    'UseIPv6 off',
    `Port ${port}`,
    // proftpd runs as the caller: as root it would otherwise drop to nobody and lose the temp dir. The
    // virtual user gets the caller's uid too, which as root (uid 0) needs RootLogin.
    `User ${userInfo().username}`,
    `Group ${execFileSync('id', ['-gn']).toString().trim()}`,
    ...(asRoot ? ['RootLogin on'] : []),
    // Its control socket would go under /run, which only root may write.
    '<IfModule mod_ctrls.c>',
    '  ControlsEngine off',
    '</IfModule>',
    `PidFile ${join(dir, 'proftpd.pid')}`,
    `ScoreboardFile ${join(dir, 'proftpd.scoreboard')}`,
    `SystemLog ${join(dir, 'system.log')}`,
    'WtmpLog off',
    'UseReverseDNS off',
    '<IfModule mod_delay.c>',
    '  DelayEngine off',
    '</IfModule>',
    'AuthOrder mod_auth_file.c',
    `AuthUserFile ${users}`,
    `AuthGroupFile ${groups}`,
    'RequireValidShell off',
    // Only root may chroot; otherwise the session still starts in the upload dir (its home).
    ...(asRoot ? ['DefaultRoot ~'] : []),
    'Umask 022',
    'AllowOverwrite on',
    // The upload appears under its own name only once complete: the watcher below relies on that.
    'HiddenStores on',
    'DeleteAbortedStores on',
    'LogFormat login "%m %U"',
    `ExtendedLog ${join(dir, 'logins.log')} AUTH login`,
    // No PassivePorts: the kernel picks a free port per data connection, bound to 127.0.0.1 like the
    // control socket (SocketBindTight), so peers in parallel test files never compete for a range.
    'LoadModule mod_tls.c',
    'TLSEngine on',
    `TLSLog ${join(dir, 'tls.log')}`,
    'TLSProtocol TLSv1.2 TLSv1.3',
    ...certificateDirectives(opts.key, certFile, keyFile),
    ...(chainFile ? [`TLSCertificateChainFile ${chainFile}`] : []),
    'TLSOptions UseImplicitSSL NoSessionReuseRequired',
    'TLSRequired on',
    'TLSVerifyClient off',
    '',
  ];
  return file('proftpd.conf', lines.join('\n'));
}

async function launch(dir: string, conf: string, port: number): Promise<ChildProcess | { failed: string }> {
  const proc = spawn('proftpd', ['-n', '-q', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let spawnError: Error | null = null;
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.once('error', (err) => (spawnError = err));
  for (let i = 0; i < 200 && !spawnError && proc.exitCode === null && proc.signalCode === null; i++) {
    if (await greets(port)) return proc;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (spawnError) return { failed: `cannot run proftpd (${(spawnError as Error).message}); install the Debian packages proftpd-core and proftpd-mod-crypto` };
  if (proc.exitCode === null) proc.kill('SIGKILL');
  const log = existsSync(join(dir, 'system.log')) ? readFileSync(join(dir, 'system.log'), 'utf8') : '';
  return { failed: `proftpd did not start on port ${port} (mod_tls comes with the Debian package proftpd-mod-crypto): ${stderr}${log}`.trim() };
}

export async function startFtpsPeer(opts: FtpsOptions): Promise<FtpsPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'apf-ftps-'));
  const uploads = join(dir, 'sdcard');
  mkdirSync(uploads);
  const files = new Map<string, Buffer>();
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(uploads, (_event, name) => {
      if (!name || isPartial(name)) return;
      const path = join(uploads, name);
      // A rename event also reports deletions; only a regular file present now is a finished upload.
      if (!existsSync(path) || !statSync(path).isFile()) return;
      const data = readFileSync(path);
      files.set(name, data);
      opts.onStored?.(name, data);
    });
    // The free port can be taken between probing and proftpd binding it; a second try settles that.
    let last = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const proc = await launch(dir, writeConfig(dir, uploads, port, opts), port);
      if ('failed' in proc) {
        last = proc.failed;
        continue;
      }
      const exited = new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
      // A test process that ends without close() (a crash, an interrupted run) must not leave proftpd behind.
      const killOnExit = () => {
        proc.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      };
      process.once('exit', killOnExit);
      const w = watcher;
      return {
        port,
        files,
        get logins() {
          const log = join(dir, 'logins.log');
          if (!existsSync(log)) return [];
          return readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('PASS '))
            .map((l) => l.slice('PASS '.length));
        },
        close: async () => {
          process.off('exit', killOnExit);
          w.close();
          if (proc.exitCode === null && proc.signalCode === null) {
            proc.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    throw new Error(last);
  } catch (err) {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
