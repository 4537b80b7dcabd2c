import type { SPOOLMAN_METHODS } from '../contract/names/spoolman';
import type { SpoolmanSource } from '../materials/spoolman/spoolman-source';
import type { HandlersFor } from '../rpc/dispatch';

export function createSpoolmanHandlers(spoolman: SpoolmanSource): HandlersFor<(typeof SPOOLMAN_METHODS)[number]> {
  return {
    'spoolman.status': async () => spoolman.status(),
    'spoolman.check': async ({ url }) => spoolman.check(url),
    'spoolman.configure': async ({ url }) => spoolman.configure(url),
    'spoolman.sync': async () => {
      // A sync that fails still answers with the status: its problem says why, in words.
      await spoolman.sync().catch(() => undefined);
      return spoolman.status();
    },
  };
}
