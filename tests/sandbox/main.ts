/**
 * `npm run sandbox -- [--port N] [--db FILE|:memory:] [--rate-limit N]`: runs the AutoPrintFarm v1
 * sandbox on loopback until SIGINT/SIGTERM. Prints `APF_SANDBOX_URL=…` and, the first time a database
 * is created, `APF_ADMIN_KEY=…` (its only appearance: only the key's hash is stored), then the OAuth issuer and
 * the demo user who signs in on its pages (`APF_OAUTH_ISSUER`, `APF_DEMO_EMAIL`, `APF_DEMO_PASSWORD`).
 */
import { parseCliArgs, USAGE } from './cli-args';
import { startSandbox } from './server';

async function main(): Promise<number | null> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`${parsed.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { port, dbFile, rateLimitPerHour } = parsed.options;
  let sandbox;
  try {
    sandbox = await startSandbox({ port, dbFile, rateLimitPerHour });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const reason =
      code === 'EADDRINUSE' ? `port ${port} is already in use; stop the other process or pass --port 0 for a free port` : err instanceof Error ? err.message : String(err);
    process.stderr.write(`The sandbox could not start: ${reason}.\n`);
    return 1;
  }

  // One write, so a reader that sees the URL line has the key line in the same chunk.
  const keyLine = sandbox.adminKey === null ? '' : `APF_ADMIN_KEY=${sandbox.adminKey}\n`;
  process.stdout.write(
    `APF_SANDBOX_URL=${sandbox.url}\n${keyLine}APF_OAUTH_ISSUER=${sandbox.issuer}\nAPF_DEMO_EMAIL=${sandbox.demoUser.email}\nAPF_DEMO_PASSWORD=${sandbox.demoUser.password}\n`,
  );
  if (keyLine !== '') process.stderr.write('The admin key above is shown only this once; copy it now.\n');
  process.stderr.write(`Sandbox ready (db ${dbFile}, ${rateLimitPerHour} requests per key per hour). Ctrl-C stops it.\n`);

  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return null;
}

void main().then((code) => {
  if (code !== null) process.exitCode = code;
});
