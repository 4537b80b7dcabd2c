import { useEffect, useState } from 'react';
import type { SpoolView } from '../../../../electron/core/contract/materials-types';
import { useApp, useAppState } from '../../store/context';
import { applySpoolChanges } from './spool-list';

/** Every spool (archived included: screens filter), loaded once per connection and kept current from `spools.updated`. */
export function useSpools(): SpoolView[] {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [spools, setSpools] = useState<SpoolView[]>([]);
  // Switching between local spools and Spoolman's replaces the whole list: load it again.
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => api.on('spoolman.status', (s) => setSource(`${s.source} ${s.url ?? ''}`)), [api]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    let early: SpoolView[] = [];
    let loaded = false;
    const off = api.on('spools.updated', ({ spools: changed }) => {
      if (loaded) setSpools((list) => applySpoolChanges(list, changed));
      else early = [...early, ...changed];
    });
    void actions.attempt(async () => {
      const list = await api.call('spools.list', { includeArchived: true });
      if (!live) return;
      loaded = true;
      // Changes that arrived while the list loaded are newer than it.
      setSpools(applySpoolChanges(list, early));
    });
    return () => {
      live = false;
      off();
    };
  }, [api, connected, actions, source]);
  return spools;
}
