import { useEffect, useState } from 'react';
import type { MaintenanceTaskView } from '../../../../electron/core/contract/maintenance-types';
import { useApp, useAppState } from '../../store/context';
import { groupByPrinter, withPrinterTasks } from './maintenance-summary';

const NONE = new Map<string, MaintenanceTaskView[]>();

/** Every printer's maintenance tasks by printer, loaded once per connection and kept current from `maintenance.updated`. */
export function useMaintenance(): ReadonlyMap<string, MaintenanceTaskView[]> {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [byPrinter, setByPrinter] = useState<ReadonlyMap<string, MaintenanceTaskView[]>>(NONE);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    let loaded = false;
    const early: { printerId: string; tasks: MaintenanceTaskView[] }[] = [];
    const off = api.on('maintenance.updated', (u) => {
      if (loaded) setByPrinter((m) => withPrinterTasks(m, u.printerId, u.tasks));
      else early.push(u);
    });
    void actions.attempt(async () => {
      const list = await api.call('maintenance.list', {});
      if (!live) return;
      loaded = true;
      // Changes that arrived while the list loaded are newer than it.
      setByPrinter(early.reduce((m, u) => withPrinterTasks(m, u.printerId, u.tasks), groupByPrinter(list)));
    });
    return () => {
      live = false;
      off();
    };
  }, [api, connected, actions]);
  return byPrinter;
}
