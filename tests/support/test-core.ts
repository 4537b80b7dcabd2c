import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import type { Clock } from '../../electron/core/ports/clock';
import { createMemorySettingsStore, type SettingsStore } from '../../electron/core/ports/settings-store';
import { FakeDriver } from './fake-driver';

export interface TestCore {
  core: Core;
  settings: SettingsStore;
  drivers: FakeDriver[];
  errors: unknown[];
}

/** A real core with fake drivers and in-memory settings. */
export function createTestCore(opts: { settings?: SettingsStore; seed?: boolean; clock?: Clock } = {}): TestCore {
  const settings = opts.settings ?? createMemorySettingsStore();
  const drivers: FakeDriver[] = [];
  const errors: unknown[] = [];
  const core = createCore({
    host: 'headless',
    version: '0.0.0-test',
    // Each core gets its own folder and an in-memory database, so parallel test files never share state.
    dataDir: mkdtempSync(join(tmpdir(), 'apf-test-')),
    databaseFile: ':memory:',
    settings,
    createDriver: () => {
      const d = new FakeDriver();
      drivers.push(d);
      return d;
    },
    log: { error: (_m, e) => void errors.push(e) },
    seedDefaultPrinter: opts.seed ?? true,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return { core, settings, drivers, errors };
}
