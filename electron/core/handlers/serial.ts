import { DEFAULT_SERIAL_SETTINGS } from '../contract/serial-types';
import type { SERIAL_METHODS } from '../contract/names/serial';
import { AppError } from '../errors';
import type { Fleet } from '../printers/fleet';
import type { PrinterConfig } from '../printers/printer-configs';
import { listPortsForPicker, resolveBaudRate } from '../printers/serial/serial-setup';
import type { HandlersFor } from '../rpc/dispatch';

type MarlinConfig = Extract<PrinterConfig, { kind: 'marlin' }>;

export function createSerialHandlers(fleet: Fleet): HandlersFor<(typeof SERIAL_METHODS)[number]> {
  const usbPrinter = (printerId: string): MarlinConfig => {
    const config = fleet.configOf(printerId);
    if (config.kind !== 'marlin') throw new AppError('invalid_input', `${config.name} is not a USB printer: it has no serial streaming settings.`);
    return config;
  };
  return {
    'serial.listPorts': async () => {
      const listing = await listPortsForPicker();
      return {
        method: listing.method,
        fallbackReason: listing.fallbackReason,
        ports: listing.ports.map((p) => ({ path: p.path, device: p.device, label: p.label, manufacturer: p.manufacturer })),
      };
    },
    'printers.addSerial': async ({ name, port, baudRate, settings }) => {
      const baud = await resolveBaudRate(port, baudRate);
      return fleet.addPrinter({ kind: 'marlin', name, port, baudRate: baud, embedded: false, serial: settings ?? { ...DEFAULT_SERIAL_SETTINGS } });
    },
    'printers.serialSettings': async ({ printerId }) => usbPrinter(printerId).serial,
    'printers.updateSerialSettings': async ({ printerId, settings }) => {
      const config = usbPrinter(printerId);
      const printer = await fleet.reconfigure(printerId, { ...config, serial: settings }, 'Change its connection settings after the print ends.');
      return { printer, settings };
    },
  };
}
