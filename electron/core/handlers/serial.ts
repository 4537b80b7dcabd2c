import type { SERIAL_METHODS } from '../contract/names/serial';
import type { Fleet } from '../printers/fleet';
import { listPortsForPicker, resolveBaudRate } from '../printers/serial/serial-setup';
import type { HandlersFor } from '../rpc/dispatch';

export function createSerialHandlers(fleet: Fleet): HandlersFor<(typeof SERIAL_METHODS)[number]> {
  return {
    'serial.listPorts': async () => {
      const listing = await listPortsForPicker();
      return {
        method: listing.method,
        fallbackReason: listing.fallbackReason,
        ports: listing.ports.map((p) => ({ path: p.path, device: p.device, label: p.label, manufacturer: p.manufacturer })),
      };
    },
    'printers.addSerial': async ({ name, port, baudRate }) => {
      const baud = await resolveBaudRate(port, baudRate);
      return fleet.addPrinter({ kind: 'marlin', name, port, baudRate: baud, embedded: false });
    },
  };
}
