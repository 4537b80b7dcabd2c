import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestCert } from './certs';
import { freePort } from './free-port';

export interface Broker {
  port: number;
  process: ChildProcess;
  /** What the broker logged: errors, and each client it accepted (`New client connected … u'<user>'`). */
  log(): string;
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

/**
 * Debian's mosquitto as the printer's MQTT broker: TLS with the generated certificate on a free loopback
 * port, password auth for `bblp`. One process per test file; nothing system-wide is started.
 */
export async function startMosquitto(cert: TestCert, users: Record<string, string>, fixedPort?: number): Promise<Broker> {
  const port = fixedPort ?? (await freePort());
  const passwd = join(cert.dir, 'passwd');
  writeFileSync(passwd, '');
  for (const [user, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', passwd, user, password], { stdio: 'ignore' });
  const conf = join(cert.dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      `certfile ${cert.certFile}`,
      `keyfile ${cert.keyFile}`,
      'allow_anonymous false',
      `password_file ${passwd}`,
      'persistence false',
      // Started as root, mosquitto would switch to the `mosquitto` user and lose access to the temp files.
      `user ${userInfo().username}`,
      'log_dest stderr',
      'log_type error',
      'log_type notice',
      '',
    ].join('\n'),
  );
  const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}`);
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    process: proc,
    log: () => stderr,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}
