import { memo, useCallback, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { useApp, useAppState } from '../../store/context';
import { useCan } from '../../store/use-can';
import { AddPrinterDialog } from './AddPrinterDialog';
import { AddUsbPrinterDialog } from './AddUsbPrinterDialog';
import { useFirstCameraByPrinter } from '../cameras/use-cameras';
import { PrinterCard } from './PrinterCard';
import { spoolOn } from '../spools/spool-list';
import { useSpools } from '../spools/use-spools';
import { maintenanceDue } from '../maintenance/maintenance-summary';
import { useMaintenance } from '../maintenance/use-maintenance';

// A status event changes one printer; only its card should re-render (200 printers update every second).
const FleetCard = memo(PrinterCard);

export function FleetScreen() {
  const { api, actions } = useApp();
  const manage = useCan('fleet:manage');
  const order = useAppState((s) => s.order);
  const printers = useAppState((s) => s.printers);
  const spools = useSpools();
  const maintenance = useMaintenance();
  // One object per printer, rebuilt only when maintenance changes, so a status event still re-renders one card.
  const dueOf = useMemo(() => new Map([...maintenance].map(([id, tasks]) => [id, maintenanceDue(tasks)])), [maintenance]);
  const [adding, setAdding] = useState(false);
  const [usbOpen, setUsbOpen] = useState(false);
  const [lanOpen, setLanOpen] = useState(false);
  // Each card with a camera shows it at 1 fps (the relay opens one upstream per camera, however many look).
  const cameraOf = useFirstCameraByPrinter();

  // Stable, so a status event re-renders only its own card.
  const coolDown = useCallback(
    (printerId: string) =>
      void actions.attempt(async () => {
        await api.call('printers.coolDown', { printerId });
        actions.toast('info', 'Heaters and fan switched off, motors released.');
        return true;
      }),
    [api, actions],
  );

  const addVirtual = async () => {
    setAdding(true);
    await actions.attempt(() => api.call('printers.addVirtual', { name: `Virtual Printer ${order.length + 1}` }));
    setAdding(false);
  };

  return (
    <section className="screen" aria-labelledby="fleet-title">
      <header className="screen-head">
        <h1 id="fleet-title">Fleet</h1>
        <div className="head-actions">
          <a className="btn btn-quiet" href="#/wall" data-testid="open-wall">
            Wall view
          </a>
          {manage && (
            <>
              <button type="button" className="btn" onClick={() => setLanOpen(true)} data-testid="add-network-printer">
                Add network printer
              </button>
              <button type="button" className="btn" onClick={() => setUsbOpen(true)}>
                Add USB printer
              </button>
              <button type="button" className="btn btn-quiet" onClick={() => void addVirtual()} disabled={adding}>
                Add virtual printer
              </button>
            </>
          )}
        </div>
      </header>
      {usbOpen && <AddUsbPrinterDialog onClose={() => setUsbOpen(false)} />}
      {lanOpen && <AddPrinterDialog onClose={() => setLanOpen(false)} />}
      {order.length === 0 ? (
        <EmptyState title="No printers yet">Add a virtual printer to try the app without hardware.</EmptyState>
      ) : (
        <div className="grid" data-testid="fleet-grid">
          {order.map((id) => {
            const p = printers[id];
            return p ? (
              <FleetCard key={id} printer={p} camera={cameraOf.get(id) ?? null} spool={spoolOn(spools, id)} maintenance={dueOf.get(id) ?? null} onCoolDown={coolDown} />
            ) : null;
          })}
        </div>
      )}
    </section>
  );
}
