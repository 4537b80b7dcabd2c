/**
 * The sandbox as its own process for the hub soak, so it can be killed (-9) and started again on the same
 * database and port: `node --import tsx tests/soak/sandbox-child.ts --port N --db FILE --offer-ttl-ms N [--make-key]`.
 * Prints `SOAK_SANDBOX_URL=…` once it listens and, with --make-key, `SOAK_HUB_KEY=…` (a key with the hub's scopes).
 * With --trace, every hub message the sandbox applied is a line `HUB_MSG {"at":…,"type":…,"printer_id":…,"status":…}`
 * (at = Date.now() when applied), for the hub benchmark's latencies.
 */
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox/server';

const { values } = parseArgs({
  options: { port: { type: 'string' }, db: { type: 'string' }, 'offer-ttl-ms': { type: 'string' }, 'make-key': { type: 'boolean' }, trace: { type: 'boolean' } },
});

const sandbox = await startSandbox({
  port: Number(values.port ?? 0),
  dbFile: values.db ?? ':memory:',
  organization: 'Soak Farm',
  rateLimitPerHour: 1_000_000,
  hubTimings: { offerTtlMs: Number(values['offer-ttl-ms'] ?? 2000) },
  log: () => {},
  ...(values.trace
    ? {
        onHubMessage: (_hubId: string, m: Record<string, unknown>) => {
          const line = { at: Date.now(), type: m.type, printer_id: m.printer_id, status: m.status, job_id: m.job_id };
          process.stdout.write(`HUB_MSG ${JSON.stringify(line)}\n`);
        },
      }
    : {}),
});
const key = values['make-key'] ? `SOAK_HUB_KEY=${sandbox.createKey({ name: 'Soak hubs', scopes: ['printers:read', 'printers:write', 'jobs:read', 'jobs:write'] }).key}\n` : '';
process.stdout.write(`SOAK_SANDBOX_URL=${sandbox.url}\n${key}`);

const stop = () => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
