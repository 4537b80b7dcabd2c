import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/hold-then-clean-up.ts', import.meta.url));

function runUntilSignal(signal: NodeJS.Signals): Promise<{ code: number | null; killedBy: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (chunk.includes('READY')) child.kill(signal);
    });
    child.once('error', reject);
    child.once('exit', (code, killedBy) => resolve({ code, killedBy, stdout }));
  });
}

describe('holdStopSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('lets a command finish its shutdown after %s even though conf re-sends the signal', async (signal) => {
    const run = await runUntilSignal(signal);
    expect(run.killedBy).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`CLEANED UP after ${signal}`);
  });
});
