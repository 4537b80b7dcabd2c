import type { PRINTER_METHODS } from '../contract/names/printers';
import type { Fleet } from '../printers/fleet';
import type { HandlersFor } from '../rpc/dispatch';

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
  };
}
