import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readEnvFiles } from '../../core/cloud-account/env-file';
import { createCore } from '../../core/core';
import { lockDataDir } from '../../core/data-dir-lock';
import { createLogger } from '../../core/log/logger';
import { createDefaultDriverFactory } from '../../core/printers/default-drivers';
import { headlessBambuAnchors } from '../bambu-anchors';
import { openConfSettings } from '../../core/settings/conf-store';
import { intFlag, parseArgs, UsageError, type CommandIo } from '../args';
import { holdStopSignals } from '../stop-signals';
import { defaultDataDir } from '../data-dir';
import { RefusedBindError, startHeadlessServer } from '../serve/server';
import { CertificateError, loadServerCertificate, type ServerCertificate } from '../serve/tls';
import { appVersion } from '../version';

export const SERVE_USAGE = `Usage: apf serve [--port N] [--host H] [--allow-lan [--cert FILE --cert-key FILE]] [--data DIR]
  Serves the AutoPrintFarm interface to a browser. Listens on 127.0.0.1 unless --host and --allow-lan say otherwise.
  --port N         port to listen on (default 4780; 0 picks a free one)
  --host H         address to bind (default 127.0.0.1)
  --allow-lan      needed to bind anything but loopback; serves HTTPS only, with a self-signed certificate
                   made on first start and kept in the data folder (its SHA-256 fingerprint is printed)
  --cert FILE      with --allow-lan: your own certificate (PEM) instead of the generated one
  --cert-key FILE  its private key (PEM, unencrypted)
  --data DIR       data folder (default: the desktop app's folder, or $APF_DATA_DIR)`;

export interface ServeHandle {
  close(): Promise<void>;
}

/** Starts the host and resolves once it listens; `waitForSignal` keeps the command alive until Ctrl-C. */
export async function startServe(args: string[], io: CommandIo): Promise<ServeHandle> {
  const parsed = parseArgs(args, { port: 'string', host: 'string', data: 'string', 'allow-lan': 'boolean', cert: 'string', 'cert-key': 'string' });
  if (parsed.positionals.length) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}.`);
  const allowLan = parsed.values['allow-lan'] === true;
  if ((parsed.values.cert || parsed.values['cert-key']) && !allowLan) throw new UsageError('--cert and --cert-key are for --allow-lan (loopback is served over plain HTTP).');
  const port = intFlag(parsed.values.port, 'port', 0, 65535) ?? 4780;
  const host = parsed.values.host ?? '127.0.0.1';
  const dataDir = parsed.values.data ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir, 'headless');
  let tls: ServerCertificate | undefined;
  try {
    if (allowLan) tls = loadServerCertificate({ dataDir, certFile: parsed.values.cert, keyFile: parsed.values['cert-key'], hostnames: [hostname()] });
  } catch (err) {
    lock.release();
    if (err instanceof CertificateError) throw new UsageError(err.message);
    throw err;
  }

  const log = createLogger({ write: (line) => io.stderr(line) });
  const bambuAnchors = headlessBambuAnchors(log);
  const settings = openConfSettings(dataDir);
  if (settings.recovered) {
    log.warn(`The settings file was unreadable (${settings.recovered.reason}); it was kept as ${settings.recovered.movedTo} and defaults are in use.`);
  }
  const core = createCore({
    host: 'headless',
    version: appVersion(),
    dataDir,
    settings: settings.store,
    createDriver: createDefaultDriverFactory({ virtualSpeed: virtualSpeed(process.env.APF_VIRTUAL_SPEED), bambuAnchors }),
    bambuAnchors,
    log,
    // No keyring here: a key from AUTOPRINTFARM_API_KEY (environment or .env in the working or data folder) stays in memory.
    secretBox: null,
    env: process.env,
    envFileText: readEnvFiles([dataDir, process.cwd()]),
  });
  try {
    const server = await startHeadlessServer({
      core,
      rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      host,
      port,
      allowLan,
      ...(tls ? { tls } : {}),
      token: process.env.APF_TOKEN || undefined,
      log,
      hostnames: [hostname()],
    });
    io.stdout(`APF_URL=${server.url}`);
    if (tls) {
      // Compare it with what the browser shows for the certificate before trusting the page (also in Settings → This connection).
      io.stdout(`APF_CERT_SHA256=${tls.fingerprint256}`);
      if (tls.source === 'generated') log.info(`Made a self-signed HTTPS certificate in ${dataDir}/tls (valid until ${tls.notAfter.slice(0, 10)}).`);
    }
    return {
      async close() {
        await server.close();
        await core.close();
        lock.release();
      },
    };
  } catch (err) {
    await core.close();
    lock.release();
    if (err instanceof RefusedBindError) throw new UsageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Port ${port} is already in use. Pick another with --port, or --port 0 for any free port.`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`This machine has no address ${host}.`);
    throw err;
  }
}

/** APF_VIRTUAL_SPEED=N runs virtual printers N times faster (tests and demos); anything unreadable means normal speed. */
function virtualSpeed(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 && n <= 10_000 ? n : 1;
}

export async function serveCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  const handle = await startServe(args, io);
  const signals = holdStopSignals();
  await signals.stopped;
  await handle.close();
  signals.release();
  return 0;
}
