import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MotionScanner, type MotionSummary } from '../../../electron/core/gcode/motion-scanner';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/gcode/', import.meta.url));
export const fixture = (name: string) => join(FIXTURES, name);

/** A temp folder for one test file; call cleanup() in afterAll. */
export function tempDir(): { path: (name: string) => string; write: (name: string, data: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'apf-gcode-test-'));
  return {
    path: (name) => join(dir, name),
    write: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs G-code text through the motion scanner, split into chunks of `chunk` bytes to exercise line carry-over. */
export function scan(text: string, chunk = 7): MotionSummary {
  const s = new MotionScanner();
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  return s.finish();
}
