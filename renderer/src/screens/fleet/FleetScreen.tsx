import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { useApp, useAppState } from '../../store/context';
import { PrinterCard } from './PrinterCard';

export function FleetScreen() {
  const { api, actions } = useApp();
  const order = useAppState((s) => s.order);
  const printers = useAppState((s) => s.printers);
  const [adding, setAdding] = useState(false);

  const addVirtual = async () => {
    setAdding(true);
    await actions.attempt(() => api.call('printers.addVirtual', { name: `Virtual Printer ${order.length + 1}` }));
    setAdding(false);
  };

  return (
    <section className="screen" aria-labelledby="fleet-title">
      <header className="screen-head">
        <h1 id="fleet-title">Fleet</h1>
        <button type="button" className="btn" onClick={addVirtual} disabled={adding}>
          Add virtual printer
        </button>
      </header>
      {order.length === 0 ? (
        <EmptyState title="No printers yet">Add a virtual printer to try the app without hardware.</EmptyState>
      ) : (
        <div className="grid" data-testid="fleet-grid">
          {order.map((id) => {
            const p = printers[id];
            return p ? <PrinterCard key={id} printer={p} /> : null;
          })}
        </div>
      )}
    </section>
  );
}
