/**
 * The names of every method and event, with nothing else. The sandboxed preload imports only this file,
 * so it stays one small CommonJS bundle; `methods.ts` and `events.ts` are checked against these lists.
 */
export const METHOD_NAMES = [
  'app.info',
  'settings.get',
  'settings.update',
  'printers.list',
  'printers.get',
  'printers.temperatureHistory',
  'printers.addVirtual',
  'printers.remove',
  'printers.connect',
  'printers.disconnect',
  'printers.setTemperature',
  'printers.home',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = ['printers.changed', 'printer.status', 'printer.console', 'settings.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/** Electron IPC channel names: one per method and one per event (the preload and main share these). */
export const methodChannel = (method: MethodName) => `apf:call:${method}`;
export const eventChannel = (event: EventName) => `apf:event:${event}`;
