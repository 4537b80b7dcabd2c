import { z } from 'zod';
import { AXES, HEATERS, type TemperatureSample } from '../printer-model';
import type { ConsoleEntry, CoolDownReport, PrinterView } from '../types';
import { none, printerId } from './common';
import { method } from './define';

// Generous physical limits: they stop typos (2000 °C) and leave the firmware's own limits to the firmware.
const HEATER_LIMIT_C = { hotend: 350, bed: 150 } as const;
// A jog or extrusion larger than this is almost certainly a typo (1000 instead of 10).
const MAX_JOG_MM = 300;
const MAX_EXTRUDE_MM = 200;

export const printerMethods = {
  'printers.list': method<PrinterView[]>()({ input: none, capability: 'fleet:read', summary: 'Every printer with its live status.' }),
  'printers.get': method<PrinterView>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:read',
    summary: 'One printer with its live status.',
  }),
  'printers.temperatureHistory': method<TemperatureSample[]>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:read',
    summary: 'Recent temperature samples (about ten minutes), oldest first.',
  }),
  'printers.addVirtual': method<PrinterView>()({
    input: z.object({ name: z.string().trim().min(1).max(80) }).strict(),
    capability: 'fleet:manage',
    summary: 'Adds a simulated printer that needs no hardware.',
  }),
  'printers.remove': method<{ removed: true }>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:manage',
    summary: 'Disconnects and forgets a printer.',
  }),
  'printers.connect': method<PrinterView>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:control',
    summary: 'Connects to a printer that is offline.',
  }),
  'printers.disconnect': method<PrinterView>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:control',
    summary: 'Closes the connection to a printer.',
  }),
  'printers.setTemperature': method<{ ok: true }>()({
    input: z
      .object({ printerId, heater: z.enum(HEATERS), celsius: z.number().finite().min(0) })
      .strict()
      .refine((v) => v.celsius <= HEATER_LIMIT_C[v.heater], {
        message: 'That temperature is above what this app allows for the heater (hotend 350 °C, bed 150 °C).',
        path: ['celsius'],
      }),
    capability: 'fleet:control',
    summary: 'Sets a heater target; 0 turns it off.',
  }),
  'printers.home': method<{ ok: true }>()({
    input: z.object({ printerId, axes: z.array(z.enum(AXES)).max(3).optional() }).strict(),
    capability: 'fleet:control',
    summary: 'Homes the given axes, or all of them.',
  }),
  'printers.jog': method<{ ok: true }>()({
    input: z
      .object({
        printerId,
        x: z.number().finite().min(-MAX_JOG_MM).max(MAX_JOG_MM).optional(),
        y: z.number().finite().min(-MAX_JOG_MM).max(MAX_JOG_MM).optional(),
        z: z.number().finite().min(-MAX_JOG_MM).max(MAX_JOG_MM).optional(),
        feedrateMmPerMin: z.number().finite().positive().max(30_000).optional(),
      })
      .strict()
      .refine((v) => [v.x, v.y, v.z].some((d) => d !== undefined && d !== 0), { message: 'Give at least one axis a non-zero distance.' }),
    capability: 'fleet:control',
    summary: 'Moves the head relative to where it is.',
  }),
  'printers.extrude': method<{ ok: true }>()({
    input: z
      .object({ printerId, mm: z.number().finite().min(-MAX_EXTRUDE_MM).max(MAX_EXTRUDE_MM), feedrateMmPerMin: z.number().finite().positive().max(6000).optional() })
      .strict()
      .refine((v) => v.mm !== 0, { message: 'The length must not be zero.', path: ['mm'] }),
    capability: 'fleet:control',
    summary: 'Extrudes (positive) or retracts (negative) filament.',
  }),
  'printers.setFan': method<{ ok: true }>()({
    input: z.object({ printerId, percent: z.number().finite().min(0).max(100) }).strict(),
    capability: 'fleet:control',
    summary: 'Sets the part-cooling fan, 0 to 100 %.',
  }),
  'printers.motorsOff': method<{ ok: true }>()({ input: z.object({ printerId }).strict(), capability: 'fleet:control', summary: 'Disables the stepper motors.' }),
  'printers.coolDown': method<CoolDownReport>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:control',
    summary: 'Switches both heaters and the part fan off and releases the motors (a printer left hot); refused while it prints.',
  }),
  'printers.dismissNotice': method<PrinterView>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:control',
    summary: 'Clears the notice shown on a printer (for example that it was made safe after a restart).',
  }),
  'printers.emergencyStop': method<{ ok: true }>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:control',
    summary: 'Stops the printer at once (M112): heaters off, motion halted; it needs a reset afterwards.',
  }),
  'printers.sendCommand': method<{ responses: string[] }>()({
    input: z
      .object({
        printerId,
        line: z
          .string()
          .trim()
          .min(1)
          .max(96)
          .regex(/^[\x20-\x7e]+$/, 'Only printable ASCII characters can be sent to a printer.'),
      })
      .strict(),
    capability: 'fleet:control',
    summary: 'Sends one G-code line from the console and returns what the printer answered.',
  }),
  'printers.consoleHistory': method<ConsoleEntry[]>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:read',
    summary: 'The most recent console lines, oldest first.',
  }),
  'printers.pause': method<{ ok: true }>()({ input: z.object({ printerId }).strict(), capability: 'fleet:control', summary: 'Pauses the running print.' }),
  'printers.resume': method<{ ok: true }>()({ input: z.object({ printerId }).strict(), capability: 'fleet:control', summary: 'Resumes a paused print.' }),
  'printers.cancel': method<{ ok: true }>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:control',
    summary: 'Cancels the running print and runs the cancel script.',
  }),
  'printers.setLight': method<{ ok: true }>()({
    input: z.object({ printerId, on: z.boolean() }).strict(),
    capability: 'fleet:control',
    summary: "Switches the printer's light (printers whose capabilities include `light`); the new state shows once the printer reports it.",
  }),
};
