/**
 * `npm run soak:hub [-- options]`: the hub soak (see soak-run.ts). Needs `npm run build` first. Prints progress
 * on stderr and one `soak: …` line of figures on stdout; exits 1 on any violation (a job doubled or lost, an
 * event applied twice, an outbox entry left), 2 on a bad option.
 */
import { parseArgs } from 'node:util';
import { FULL_SOAK, runSoak, SHORT_SOAK, soakLine, type SoakOptions } from './soak-run';

const USAGE = `Usage: npm run soak:hub -- [options]
  --jobs N            cloud jobs to submit (default ${FULL_SOAK.jobs})
  --hubs N            apf serve hubs (default ${FULL_SOAK.hubs})
  --printers N        virtual printers per hub (default ${FULL_SOAK.printersPerHub})
  --speed N           APF_VIRTUAL_SPEED of the hubs (default ${FULL_SOAK.speed})
  --kills N           hub kill -9s, each followed by a restart (default ${FULL_SOAK.hubKills})
  --sandbox-restarts N  sandbox kill -9s, each followed by a restart (default ${FULL_SOAK.sandboxRestarts})
  --net-cut-s N       seconds the hubs' network is cut, once (default ${FULL_SOAK.netCutS}; 0 for none)
  --timeout-s N       longest run before unfinished jobs count as lost (default ${FULL_SOAK.timeoutS})
  --stall-s N         after the chaos, seconds without a job ending before the rest count as stuck (default ${FULL_SOAK.stallS})
  --offer-ttl-ms N    the cloud's offer lifetime (default ${FULL_SOAK.offerTtlMs})
  --chaos-gap-s N     least seconds between two chaos steps (default ${FULL_SOAK.chaosGapS})
  --seed N            seed of the random choices (default ${FULL_SOAK.seed})
  --short             the CI form: 12 jobs, 3 hubs x 2 printers, 1 kill, 1 sandbox restart, 3 s cut
  --keep              keep the temporary folders`;

const num = (v: string | undefined, name: string, min: number): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${v}".`);
  return n;
};

let options: SoakOptions;
try {
  const { values } = parseArgs({
    options: {
      jobs: { type: 'string' },
      hubs: { type: 'string' },
      printers: { type: 'string' },
      speed: { type: 'string' },
      kills: { type: 'string' },
      'sandbox-restarts': { type: 'string' },
      'net-cut-s': { type: 'string' },
      'timeout-s': { type: 'string' },
      'offer-ttl-ms': { type: 'string' },
      'stall-s': { type: 'string' },
      'chaos-gap-s': { type: 'string' },
      seed: { type: 'string' },
      short: { type: 'boolean' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const base = values.short ? SHORT_SOAK : FULL_SOAK;
  const pick = (v: number | undefined, d: number) => v ?? d;
  options = {
    jobs: pick(num(values.jobs, 'jobs', 1), base.jobs),
    hubs: pick(num(values.hubs, 'hubs', 1), base.hubs),
    printersPerHub: pick(num(values.printers, 'printers', 1), base.printersPerHub),
    speed: pick(num(values.speed, 'speed', 1), base.speed),
    hubKills: pick(num(values.kills, 'kills', 0), base.hubKills),
    sandboxRestarts: pick(num(values['sandbox-restarts'], 'sandbox-restarts', 0), base.sandboxRestarts),
    netCutS: pick(num(values['net-cut-s'], 'net-cut-s', 0), base.netCutS),
    timeoutS: pick(num(values['timeout-s'], 'timeout-s', 10), base.timeoutS),
    stallS: pick(num(values['stall-s'], 'stall-s', 1), base.stallS),
    offerTtlMs: pick(num(values['offer-ttl-ms'], 'offer-ttl-ms', 100), base.offerTtlMs),
    chaosGapS: pick(num(values['chaos-gap-s'], 'chaos-gap-s', 0), base.chaosGapS),
    seed: pick(num(values.seed, 'seed', 0), base.seed),
    keep: values.keep === true,
  };
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
  process.exit(2);
}

const result = await runSoak(options);
process.stdout.write(`${soakLine(result)}\n`);
process.exitCode = result.violations.length === 0 ? 0 : 1;
