import { systemClock, type Clock } from '../ports/clock';
import { MarlinDriver, type MarlinDriverOptions } from './marlin/driver';
import { stripComment } from './marlin/framing';
import { openSerialTransport } from './serial/serial-transport';
import { BambuDriver } from './bambu/driver';
import type { DriverContext, DriverFactory } from './fleet';
import { MoonrakerDriver } from './moonraker/driver';
import { OctoPrintDriver } from './octoprint/driver';
import { PrusaLinkDriver } from './prusalink/driver';
import type { PrinterConfig } from './printer-configs';
import type { SendWindow } from './marlin/host';
import { createInProcessLink } from './virtual/in-process-link';
import { createScaledClock } from './virtual/scaled-clock';
import { VirtualFirmware } from './virtual/firmware';

/**
 * Builds the driver for a saved printer. The built-in virtual printer is the simulated Marlin board driven
 * through the real serial host protocol, so what a new user sees is the code path a USB printer takes.
 */
export function createDefaultDriverFactory(
  opts: {
    clock?: Clock;
    virtualSpeed?: number;
    /** Bambu Lab's CA certificates (PEM) that printers' certificates are checked against; see `bambu/trust-anchors.ts`. */
    bambuAnchors?: readonly string[];
  } = {},
): DriverFactory {
  // Virtual printers only: the simulated board heats and moves `virtualSpeed` times faster (demos, e2e tests).
  const firmwareClock = opts.virtualSpeed && opts.virtualSpeed !== 1 ? createScaledClock(opts.clock ?? systemClock, opts.virtualSpeed) : opts.clock;
  return (config: PrinterConfig, context?: DriverContext) => {
    const lan = { secret: () => context?.secret() ?? Promise.resolve(null), ...(opts.clock ? { clock: opts.clock } : {}) };
    switch (config.kind) {
      case 'virtual':
        return new MarlinDriver({
          transport: () => createInProcessLink(new VirtualFirmware({ machineName: config.name, ...(firmwareClock ? { clock: firmwareClock } : {}) })),
          ...(opts.clock ? { clock: opts.clock } : {}),
          // A smooth live chart: the simulated board reports every second at no cost.
          options: { host: { temperatureIntervalS: 1 } },
        });
      case 'marlin':
        return new MarlinDriver({
          transport: () => openSerialTransport(config.port, config.baudRate),
          ...(opts.clock ? { clock: opts.clock } : {}),
          options: marlinDriverOptions(config),
        });
      case 'octoprint':
        return new OctoPrintDriver({ ...lan, baseUrl: config.url });
      case 'moonraker':
        return new MoonrakerDriver({ ...lan, baseUrl: config.url });
      case 'prusalink':
        return new PrusaLinkDriver({ ...lan, baseUrl: config.url, auth: config.auth, username: config.username, storage: config.storage });
      case 'bambu':
        return new BambuDriver({
          ...lan,
          host: config.host,
          serial: config.serial,
          mqttPort: config.mqttPort,
          ftpPort: config.ftpPort,
          trust: { anchors: opts.bambuAnchors ?? [], pin: config.certificatePin },
        });
    }
  };
}

type MarlinConfig = Extract<PrinterConfig, { kind: 'marlin' }>;

/**
 * A USB printer's saved streaming settings and scripts as MarlinDriver options. `auto` and `buffered` use the
 * board's own free-buffer counts when it reports ADVANCED_OK; otherwise `auto` sends one line per ok and
 * `buffered` keeps the configured line window. Both stay within the firmware's receive buffer so a burst of
 * lines never overflows it.
 */
export function marlinDriverOptions(config: MarlinConfig): MarlinDriverOptions {
  const s = config.serial;
  const window: SendWindow =
    s.streaming === 'safe' ? { kind: 'pingpong' } : { kind: 'advancedOk', fallbackLines: s.streaming === 'auto' ? 1 : s.windowLines, rxBufferBytes: s.rxBufferBytes };
  return {
    host: { linkName: config.port, window },
    scripts: { pause: scriptLines(s.pauseScript), resume: scriptLines(s.resumeScript), cancel: scriptLines(s.cancelScript), heatersOffOnPause: s.heatersOffOnPause },
  };
}

/** One command a line, comments and blank lines dropped (they would cost a round trip each for nothing). */
function scriptLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(stripComment)
    .filter((line) => line.length > 0);
}
