import { z } from 'zod';
import { AXES, HEATERS, type TemperatureSample } from '../../printers/model';
import type { PrinterView } from '../types';
import { none, printerId } from './common';
import { method } from './define';

// Generous physical limits: they stop typos (2000 °C) and leave the firmware's own limits to the firmware.
const HEATER_LIMIT_C = { hotend: 350, bed: 150 } as const;

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
};
