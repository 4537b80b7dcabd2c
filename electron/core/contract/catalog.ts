import { ACCESS_METHODS } from './names/access';
import { APP_METHODS } from './names/app';
import { CAMERA_METHODS } from './names/cameras';
import { HISTORY_METHODS } from './names/history';
import { HUB_METHODS } from './names/hub';
import { SIGN_IN_METHODS } from './names/sign-in';
import { JOB_METHODS } from './names/jobs';
import { KEY_METHODS } from './names/keys';
import { LAN_METHODS } from './names/lan';
import { LIBRARY_METHODS } from './names/library';
import { MAINTENANCE_METHODS } from './names/maintenance';
import { MATERIAL_METHODS } from './names/materials';
import { MATERIAL_SYNC_METHODS } from './names/material-sync';
import { PRINTER_METHODS } from './names/printers';
import { SERIAL_METHODS } from './names/serial';
import { SNAPSHOT_METHODS } from './names/snapshots';
import { COST_METHODS } from './names/costs';
import { SPOOLMAN_METHODS } from './names/spoolman';

/**
 * The names of every method and event, with nothing else. The sandboxed preload imports only this file,
 * so it stays one small CommonJS bundle; `methods/` and `events.ts` are checked against these lists.
 * Each domain keeps its names in `names/<domain>.ts` and its schemas in `methods/<domain>.ts`.
 */
export const METHOD_NAMES = [
  ...APP_METHODS,
  ...PRINTER_METHODS,
  ...KEY_METHODS,
  ...SERIAL_METHODS,
  ...LAN_METHODS,
  ...LIBRARY_METHODS,
  ...JOB_METHODS,
  ...HISTORY_METHODS,
  ...MATERIAL_METHODS,
  ...MATERIAL_SYNC_METHODS,
  ...MAINTENANCE_METHODS,
  ...SPOOLMAN_METHODS,
  ...HUB_METHODS,
  ...SIGN_IN_METHODS,
  ...ACCESS_METHODS,
  ...CAMERA_METHODS,
  ...SNAPSHOT_METHODS,
  ...COST_METHODS,
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = [
  'printers.changed',
  'printer.status',
  'printer.console',
  'settings.changed',
  'keys.status',
  'jobs.updated',
  'library.updated',
  'library.removed',
  'library.failed',
  'farm.profile',
  'farm.settings',
  'history.added',
  'spools.updated',
  'materialSync.status',
  'maintenance.updated',
  'spoolman.status',
  'app.notices',
  'hub.status',
  'signIn.status',
  'snapshots.added',
] as const;
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
