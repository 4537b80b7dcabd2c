import { z } from 'zod';
import type { PrinterView } from '../types';
import { SerialSettingsInput, type SerialSettings } from '../serial-types';
import { none } from './common';
import { method } from './define';

export interface SerialPortChoice {
  path: string;
  device: string;
  label: string;
  manufacturer: string | null;
}

export interface SerialPortList {
  ports: SerialPortChoice[];
  /** `scan` when the system listing failed and /dev was searched instead (broken udev, containers). */
  method: 'serialport' | 'scan';
  fallbackReason: string | null;
}

export const SERIAL_BAUD_RATES = [250000, 230400, 115200, 57600, 38400, 19200, 9600] as const;

export const serialMethods = {
  'serial.listPorts': method<SerialPortList>()({ input: none, capability: 'fleet:manage', summary: 'Serial ports a USB printer may be on.' }),
  'printers.addSerial': method<PrinterView>()({
    input: z
      .object({
        name: z.string().trim().min(1).max(80),
        port: z.string().trim().min(1).max(260),
        baudRate: z.union([z.literal('auto'), z.number().int().min(1200).max(2_000_000)]),
        /** Streaming and scripts; the safe defaults when left out. */
        settings: SerialSettingsInput.optional(),
      })
      .strict(),
    capability: 'fleet:manage',
    summary: 'Adds a USB printer; "auto" finds the baud rate by asking the board.',
  }),
  'printers.serialSettings': method<SerialSettings>()({
    input: z.object({ printerId: z.string().min(1).max(64) }).strict(),
    capability: 'fleet:read',
    summary: "A USB printer's streaming mode and pause, resume and cancel scripts.",
  }),
  'printers.updateSerialSettings': method<{ printer: PrinterView; settings: SerialSettings }>()({
    input: z.object({ printerId: z.string().min(1).max(64), settings: SerialSettingsInput }).strict(),
    capability: 'fleet:manage',
    summary: "Saves a USB printer's streaming mode and scripts and reconnects it with them; refused while it prints.",
  }),
};
