import { EventBus } from './events/event-bus';
import { createAppHandlers } from './handlers/app';
import { createPrinterHandlers } from './handlers/printers';
import type { Clock } from './ports/clock';
import { systemClock } from './ports/clock';
import type { SettingsStore } from './ports/settings-store';
import type { DriverFactory } from './printers/fleet';
import { Fleet } from './printers/fleet';
import { PrinterConfigs } from './printers/printer-configs';
import { createDispatcher, type Handlers, type Logger } from './rpc/dispatch';
import { SettingsService } from './settings/settings-service';

/** What a host hands the core. Everything with a side effect outside the process comes in here. */
export interface CorePorts {
  host: 'desktop' | 'headless';
  version: string;
  dataDir: string;
  settings: SettingsStore;
  createDriver: DriverFactory;
  clock?: Clock;
  log: Logger;
  /** Adds the embedded virtual printer on the first run of a data directory. Default true. */
  seedDefaultPrinter?: boolean;
}

export interface Core {
  handlers: Handlers;
  events: EventBus;
  dispatch: ReturnType<typeof createDispatcher>;
  close(): Promise<void>;
}

export function createCore(ports: CorePorts): Core {
  const clock = ports.clock ?? systemClock;
  const events = new EventBus();
  const settings = new SettingsService(ports.settings);
  const configs = new PrinterConfigs(ports.settings);
  if (ports.seedDefaultPrinter !== false) configs.seedDefaultOnce();
  const fleet = new Fleet(configs, ports.createDriver, events, clock);
  fleet.start();

  // One factory per domain; the Handlers type fails to compile until every contract method has one.
  const handlers: Handlers = {
    ...createAppHandlers({ settings, events, info: { version: ports.version, host: ports.host, dataDir: ports.dataDir } }),
    ...createPrinterHandlers(fleet),
  };

  return {
    handlers,
    events,
    dispatch: createDispatcher(handlers, ports.log),
    close: () => fleet.close(),
  };
}
