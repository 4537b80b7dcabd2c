import type { Clock } from '../ports/clock';
import { MarlinDriver } from './marlin/driver';
import type { DriverFactory } from './fleet';
import type { PrinterConfig } from './printer-configs';
import { createInProcessLink } from './virtual/in-process-link';
import { VirtualFirmware } from './virtual/firmware';

/**
 * Builds the driver for a saved printer. The built-in virtual printer is the simulated Marlin board driven
 * through the real serial host protocol, so what a new user sees is the code path a USB printer takes.
 */
export function createDefaultDriverFactory(opts: { clock?: Clock } = {}): DriverFactory {
  return (config: PrinterConfig) => {
    switch (config.kind) {
      case 'virtual':
        return new MarlinDriver({
          transport: () => createInProcessLink(new VirtualFirmware({ machineName: config.name, ...(opts.clock ? { clock: opts.clock } : {}) })),
          ...(opts.clock ? { clock: opts.clock } : {}),
          // A smooth live chart: the simulated board reports every second at no cost.
          options: { host: { temperatureIntervalS: 1 } },
        });
    }
  };
}
