// The sandboxed preload: bundled into one CommonJS file that requires nothing but 'electron'.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, METHOD_NAMES, eventChannel, methodChannel, type EventName } from '../core/contract/catalog';

const api: Record<string, unknown> = {};
for (const method of METHOD_NAMES) {
  api[method] = (input: unknown) => ipcRenderer.invoke(methodChannel(method), input);
}
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`Unknown event ${String(event)}`);
  const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(eventChannel(event), handler);
  // The same function object is removed, so unsubscribing really unsubscribes.
  return () => void ipcRenderer.removeListener(eventChannel(event), handler);
};

contextBridge.exposeInMainWorld('apf', Object.freeze(api));
