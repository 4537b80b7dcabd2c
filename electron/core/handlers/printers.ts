import type { PRINTER_METHODS } from '../contract/names/printers';
import type { Fleet } from '../printers/fleet';
import type { HandlersFor } from '../rpc/dispatch';

const DEFAULT_JOG_FEED = 3000;
const DEFAULT_EXTRUDE_FEED = 300;

export function createPrinterHandlers(fleet: Fleet): HandlersFor<(typeof PRINTER_METHODS)[number]> {
  return {
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
    'printers.jog': async ({ printerId, feedrateMmPerMin, ...delta }) => {
      await fleet.control(printerId, (d) => d.jog(delta, feedrateMmPerMin ?? DEFAULT_JOG_FEED));
      return { ok: true };
    },
    'printers.extrude': async ({ printerId, mm, feedrateMmPerMin }) => {
      await fleet.control(printerId, (d) => d.extrude(mm, feedrateMmPerMin ?? DEFAULT_EXTRUDE_FEED));
      return { ok: true };
    },
    'printers.setFan': async ({ printerId, percent }) => {
      await fleet.control(printerId, (d) => d.setFan(percent / 100));
      return { ok: true };
    },
    'printers.motorsOff': async ({ printerId }) => {
      await fleet.control(printerId, (d) => d.motorsOff());
      return { ok: true };
    },
    'printers.coolDown': async ({ printerId }) => fleet.coolDown(printerId),
    'printers.dismissNotice': async ({ printerId }) => {
      fleet.setNotice(printerId, null);
      return fleet.get(printerId);
    },
    'printers.emergencyStop': async ({ printerId }) => {
      await fleet.control(printerId, (d) => d.emergencyStop(), { evenWhilePrinting: true });
      return { ok: true };
    },
    'printers.sendCommand': async ({ printerId, line }) => ({ responses: await fleet.control(printerId, (d) => d.sendCommand(line)) }),
    'printers.consoleHistory': async ({ printerId }) => fleet.consoleHistory(printerId),
    'printers.pause': async ({ printerId }) => {
      await fleet.control(printerId, (d) => d.pause(), { evenWhilePrinting: true });
      return { ok: true };
    },
    'printers.resume': async ({ printerId }) => {
      await fleet.control(printerId, (d) => d.resume(), { evenWhilePrinting: true });
      return { ok: true };
    },
    'printers.cancel': async ({ printerId }) => {
      await fleet.control(printerId, (d) => d.cancel(), { evenWhilePrinting: true });
      return { ok: true };
    },
    'printers.setLight': async ({ printerId, on }) => {
      await fleet.setLight(printerId, on);
      return { ok: true };
    },
  };
}
