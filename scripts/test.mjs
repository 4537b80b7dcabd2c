// `npm test`: type-check, lint, build, unit tests, then the end-to-end suite in Chromium.
// Ends with one plain line `N passed, N failed` that sums every step (a failed type-check or build counts as one failure).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const only = process.argv[2]; // optional: 'unit' or 'e2e'
let passed = 0;
let failed = 0;
mkdirSync('test-results', { recursive: true });

function run(label, command, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}

function vitest(label, args, report) {
  rmSync(report, { force: true });
  const ok = run(label, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (!existsSync(report)) {
    failed += 1; // the runner itself died
    return;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0);
  // A suite that failed to load reports no failed test but is a failure all the same.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).every((a) => a.status !== 'failed')).length;
  failed += brokenFiles;
  if (!ok && r.numFailedTests === 0 && brokenFiles === 0) failed += 1;
}

if (!only) {
  if (run('type-check', 'npm', ['run', '--silent', 'typecheck'])) passed += 1;
  else failed += 1;
  // ESLint (type-aware) and Prettier: one step, like the type-check.
  if (run('lint', 'npm', ['run', '--silent', 'lint'])) passed += 1;
  else failed += 1;
  if (run('build', 'npm', ['run', '--silent', 'build'])) passed += 1;
  else failed += 1;
}
if (!only || only === 'unit') vitest('unit and integration tests', [], 'test-results/unit.json');
if (!only || only === 'e2e') vitest('end-to-end tests in Chromium', ['-c', 'vitest.e2e.config.ts'], 'test-results/e2e.json');

console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
