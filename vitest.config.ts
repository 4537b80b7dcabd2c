import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Core code must never import 'electron'; in tests the real package would only throw obscurely,
    // so point it at a module that fails loudly. Desktop tests replace it with vi.mock('electron').
    alias: { electron: fileURLToPath(new URL('./tests/support/electron-forbidden.ts', import.meta.url)) },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/sandbox/**/*.test.ts', 'tests/peers/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
