import { EventBus } from './events/event-bus';
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

  const handlers: Handlers = {
    'app.info': async () => ({ name: 'AutoPrintFarm', version: ports.version, host: ports.host, dataDir: ports.dataDir }),
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      const next = settings.update(patch);
      events.emit('settings.changed', next);
      return next;
    },
    'printers.list': async () => fleet.list(),
    'printers.get': async ({ printerId }) => fleet.get(printerId),
    'printers.temperatureHistory': async ({ printerId }) => fleet.temperatureHistory(printerId),
    'printers.addVirtual': async ({ name }) => fleet.addVirtual(name),
    'printers.remove': async ({ printerId }) => {
      await fleet.remove(printerId);
      return { removed: true };
    },
    'printers.connect': async ({ printerId }) => fleet.connect(printerId),
    'printers.disconnect': async ({ printerId }) => fleet.disconnect(printerId),
    'printers.setTemperature': async ({ printerId, heater, celsius }) => {
      await fleet.setTemperature(printerId, heater, celsius);
      return { ok: true };
    },
    'printers.home': async ({ printerId, axes }) => {
      await fleet.home(printerId, axes ?? ['x', 'y', 'z']);
      return { ok: true };
    },
  };

  return {
    handlers,
    events,
    dispatch: createDispatcher(handlers, ports.log),
    close: () => fleet.close(),
  };
}
