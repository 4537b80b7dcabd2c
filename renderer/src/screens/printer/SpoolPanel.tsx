import type { SpoolView } from '../../../../electron/core/contract/materials-types';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';
import { spoolLabel, spoolOn, gramsText } from '../spools/spool-list';
import { LoadedSpoolLine } from '../spools/SpoolSwatch';

/** What this printer has loaded, and (for an operator) a spool to load instead or unloading it. */
export function SpoolPanel({ printerId, spools }: { printerId: string; spools: SpoolView[] }) {
  const { api, actions } = useApp();
  const canWrite = useCan('materials:write');
  const loaded = spoolOn(spools, printerId);
  const available = spools.filter((s) => !s.archived);
  const choose = (spoolId: string) =>
    void actions.attempt(async () => {
      if (spoolId === '') await api.call('spools.unload', { printerId, slot: 0 });
      else await api.call('spools.load', { spoolId, printerId, slot: 0 });
    });
  return (
    <div className="panel" data-testid="spool-panel">
      <h2>Spool</h2>
      <p style={{ margin: '0 0 8px' }}>
        <LoadedSpoolLine spool={loaded} />
      </p>
      {canWrite &&
        (available.length ? (
          <label className="row">
            Loaded
            <select value={loaded?.id ?? ''} onChange={(e) => choose(e.target.value)} data-testid="printer-spool-select">
              <option value="">No spool</option>
              {available.map((s) => (
                <option key={s.id} value={s.id}>
                  {spoolLabel(s)} — {gramsText(s.remainingG)}
                  {s.loadedOn && s.loadedOn.printerId !== printerId ? ' (on another printer)' : ''}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p className="muted">
            No spools yet: add them on the <a href="#/spools">Spools</a> screen.
          </p>
        ))}
    </div>
  );
}
