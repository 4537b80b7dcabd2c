import { createStore } from 'zustand/vanilla';
import type { AccessWhoami, AppInfo, AppNotice, EventPayloads, Settings } from '../../../electron/core/contract';
import type { Api, ConnectionState } from '../api';
import { applyStatuses, emptyPrinters, replacePrinters, setHistory, type PrintersSlice } from './printers-slice';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface AppState extends PrintersSlice {
  connection: ConnectionState;
  settings: Settings | null;
  info: AppInfo | null;
  /** Who this window or browser session is: its role and capabilities, and how it is connected. */
  whoami: AccessWhoami | null;
  /** Notices about the app itself (a damaged settings file set aside), shown above every screen until dismissed. */
  notices: AppNotice[];
  toasts: Toast[];
}

export type AppStore = ReturnType<typeof createAppStore>;

/**
 * The renderer's state, fed by core events. The API is injected so the store runs under vitest with a fake.
 */
export function createAppStore(api: Api) {
  const store = createStore<AppState>(() => ({
    ...emptyPrinters,
    connection: api.connection(),
    settings: null,
    info: null,
    whoami: null,
    notices: [],
    toasts: [],
  }));
  let toastId = 0;

  const actions = {
    async refresh() {
      const [printers, settings, info, notices, whoami] = await Promise.all([
        api.call('printers.list'),
        api.call('settings.get'),
        api.call('app.info'),
        api.call('app.notices'),
        api.call('access.whoami'),
      ]);
      store.setState((s) => ({ ...replacePrinters(s, printers), settings, info, notices, whoami }));
    },
    async loadHistory(printerId: string) {
      const history = await api.call('printers.temperatureHistory', { printerId });
      store.setState((s) => setHistory(s, printerId, history));
    },
    toast(kind: Toast['kind'], text: string) {
      const toast = { id: ++toastId, kind, text };
      store.setState((s) => ({ toasts: [...s.toasts.slice(-3), toast] }));
      setTimeout(() => store.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== toast.id) })), kind === 'error' ? 8000 : 4000);
    },
    /** Runs a user action and turns its failure into a message the user can act on. */
    async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
      try {
        return await work();
      } catch (err) {
        actions.toast('error', err instanceof Error ? err.message : String(err));
        return undefined;
      }
    },
  };

  api.onConnection((connection) => {
    store.setState({ connection });
    if (connection.kind === 'open') void actions.attempt(() => actions.refresh());
  });
  // Status events are applied once per frame, not one re-render each: screens draw at most once a frame anyway.
  let pendingStatus: EventPayloads['printer.status'][] = [];
  let frame: { cancel(): void } | null = null;
  const flushStatus = () => {
    frame?.cancel();
    frame = null;
    if (!pendingStatus.length) return;
    const events = pendingStatus;
    pendingStatus = [];
    store.setState((s) => applyStatuses(s, events));
  };
  api.on('printers.changed', ({ printers }) => {
    flushStatus();
    store.setState((s) => replacePrinters(s, printers));
  });
  api.on('printer.status', (event) => {
    pendingStatus.push(event);
    frame ??= nextFrame(flushStatus);
  });
  api.on('settings.changed', (settings) => store.setState({ settings }));
  api.on('app.notices', ({ notices }) => store.setState({ notices }));
  if (api.connection().kind === 'open') void actions.attempt(() => actions.refresh());

  return { store, actions, api };
}

/** Calls `run` at the next animation frame, or within 100 ms when the page is hidden and frames stop. */
function nextFrame(run: () => void): { cancel(): void } {
  const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : null;
  const timer = setTimeout(run, 100);
  return {
    cancel() {
      if (raf !== null) cancelAnimationFrame(raf);
      clearTimeout(timer);
    },
  };
}
