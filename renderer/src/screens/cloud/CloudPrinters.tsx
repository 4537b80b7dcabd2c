import { useCallback, useEffect, useState } from 'react';
import type { CloudPrinterView } from '../../../../electron/core/contract/hub-types';
import { useApp, useAppState } from '../../store/context';

const HUB_WORDS: Record<CloudPrinterView['hub'], string> = { this: 'on this computer', other: 'on another hub', none: 'no hub' };

/**
 * The organization's printers as AutoPrintFarm lists them: what the cloud's queue can print on, this room's and
 * the others'. Read on demand (the cloud is not polled); the reason is shown when the cloud cannot be asked.
 */
export function CloudPrinters({ refreshKey }: { refreshKey: string }) {
  const { api } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [printers, setPrinters] = useState<CloudPrinterView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => {
    api.call('hub.cloudPrinters').then(
      (list) => {
        setPrinters(list);
        setProblem(null);
      },
      (err: unknown) => setProblem(err instanceof Error ? err.message : String(err)),
    );
  }, [api]);
  useEffect(() => {
    if (connected) load();
  }, [connected, load, refreshKey]);
  return (
    <section aria-labelledby="cloud-printers-title">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="cloud-printers-title">Printers in AutoPrintFarm</h2>
        <button type="button" className="btn btn-quiet" onClick={load}>
          Refresh
        </button>
      </div>
      {problem ? (
        <p className="muted" data-testid="cloud-printers-problem">
          {problem}
        </p>
      ) : printers && printers.length === 0 ? (
        <p className="muted">The organization has no printers in the cloud yet. Publish one below to let the cloud print on it.</p>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0 }} data-testid="cloud-printers">
          {(printers ?? []).map((p) => (
            <li key={p.id} className="row" style={{ gap: 12, padding: '4px 0' }} data-testid="cloud-printer">
              <span style={{ fontWeight: 600 }}>{p.name}</span>
              <span className="muted">
                {p.model ? `${p.model} · ` : ''}
                {p.status} · {HUB_WORDS[p.hub]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
