import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayloads, PrinterView } from '../../../electron/core/contract';
import type { Api, ConnectionState } from '../../../renderer/src/api';
import { createAppStore } from '../../../renderer/src/store/app-store';

const view = (id: string, celsius = 20): PrinterView => ({
  id,
  name: id,
  kind: 'virtual',
  embedded: false,
  notice: null,
  capabilities: { setTemperature: true, home: true, jog: true, extrude: true, fan: true, motorsOff: true, console: true, emergencyStop: true, print: true, light: false },
  status: { state: { kind: 'idle' }, temperatures: { hotend: { actual: celsius, target: 0 }, bed: null }, position: null, firmware: null },
});

/** An Api whose events the test sends; calls are never made while the connection is closed. */
function fakeApi() {
  const listeners = new Map<EventName, ((payload: unknown) => void)[]>();
  const closed: ConnectionState = { kind: 'closed' } as ConnectionState;
  const api: Api = {
    call: () => Promise.reject(new Error('not connected')),
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (p: unknown) => void]);
      return () => undefined;
    },
    onConnection: () => () => undefined,
    connection: () => closed,
  };
  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { api, emit };
}

const status = (id: string, celsius: number): EventPayloads['printer.status'] => ({ printerId: id, status: view(id, celsius).status, sample: null });

afterEach(() => vi.useRealTimers());

describe('the app store', () => {
  it('applies a burst of status events in one state change, the latest winning', () => {
    vi.useFakeTimers();
    const { api, emit } = fakeApi();
    const { store } = createAppStore(api);
    emit('printers.changed', { printers: [view('a'), view('b')] });
    const changes = vi.fn();
    store.subscribe(changes);

    for (let c = 21; c <= 30; c++) emit('printer.status', status('a', c));
    emit('printer.status', status('b', 99));
    expect(changes).not.toHaveBeenCalled();

    vi.advanceTimersByTime(100);
    expect(changes).toHaveBeenCalledTimes(1);
    expect(store.getState().printers.a!.status.temperatures.hotend!.actual).toBe(30);
    expect(store.getState().printers.b!.status.temperatures.hotend!.actual).toBe(99);
  });

  it('applies pending status events before a new printer list, so an older status never overwrites the list', () => {
    vi.useFakeTimers();
    const { api, emit } = fakeApi();
    const { store } = createAppStore(api);
    emit('printers.changed', { printers: [view('a')] });
    emit('printer.status', status('a', 42));
    emit('printers.changed', { printers: [view('a', 50), view('c')] });
    vi.advanceTimersByTime(100);
    expect(store.getState().order).toEqual(['a', 'c']);
    expect(store.getState().printers.a!.status.temperatures.hotend!.actual).toBe(50);
  });
});

describe('app notices in the store', () => {
  it('replaces its notices with each app.notices event, so a dismissal in another window shows here too', () => {
    const { api, emit } = fakeApi();
    const { store } = createAppStore(api);
    const notice = { id: 'n1', kind: 'settings-recovered' as const, title: 'Your settings file was damaged', message: 'kept as x', at: 1 };
    emit('app.notices', { notices: [notice] });
    expect(store.getState().notices).toEqual([notice]);
    emit('app.notices', { notices: [] });
    expect(store.getState().notices).toEqual([]);
  });
});
