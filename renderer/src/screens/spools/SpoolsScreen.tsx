import { useRef, useState } from 'react';
import type { SpoolView } from '../../../../electron/core/contract/materials-types';
import { download } from '../../components/download';
import { EmptyState } from '../../components/EmptyState';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';
import { usePrinterNames } from '../../store/use-printer-names';
import { MaterialSyncStrip } from './MaterialSyncStrip';
import { SpoolDialog } from './SpoolDialog';
import { SpoolmanBanner } from './SpoolmanBanner';
import { RemainingBar, Swatch } from './SpoolSwatch';
import { useSpoolmanStatus } from './use-spoolman';
import { useSpools } from './use-spools';

/**
 * The spools: what is on hand, how much is left, where each is loaded; add, edit, archive, load, print a label, CSV in
 * and out. `focus` is the spool a label's QR code opened (`#/spools/<id>`): it is shown marked.
 */
export function SpoolsScreen({ focus = null }: { focus?: string | null }) {
  const { api, actions } = useApp();
  const spoolman = useSpoolmanStatus();
  const inSpoolman = spoolman?.source === 'spoolman';
  const canWrite = useCan('materials:write');
  const names = usePrinterNames();
  const printers = [...names].map(([id, name]) => ({ id, name }));
  const spools = useSpools();
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<SpoolView | 'new' | null>(null);
  const [importNote, setImportNote] = useState<{ ok: boolean; text: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const shown = spools.filter((s) => showArchived || !s.archived);

  const exportCsv = async () => {
    const out = await actions.attempt(() => api.call('spools.exportCsv', { includeArchived: true }));
    if (out) download(out.fileName, out.csv);
  };

  const importCsv = async (file: File) => {
    setImportNote(null);
    try {
      const r = await api.call('spools.importCsv', { csv: await file.text() });
      setImportNote({ ok: true, text: `Imported ${file.name}: ${r.created} new, ${r.updated} updated.` });
    } catch (err) {
      setImportNote({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };

  const place = (spool: SpoolView, printerId: string) =>
    void actions.attempt(async () => {
      if (printerId === '') {
        if (spool.loadedOn) await api.call('spools.unload', { printerId: spool.loadedOn.printerId, slot: spool.loadedOn.slot });
      } else await api.call('spools.load', { spoolId: spool.id, printerId, slot: 0 });
    });

  return (
    <section className="screen" aria-labelledby="spools-title">
      <header className="screen-head">
        <h1 id="spools-title">Spools</h1>
        <div className="head-actions">
          <label className="row">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show archived
          </label>
          <button type="button" className="btn btn-quiet" onClick={() => void exportCsv()} data-testid="spools-export">
            Export CSV
          </button>
          {canWrite && (
            <>
              <button type="button" className="btn btn-quiet" onClick={() => fileInput.current?.click()} data-testid="spools-import" hidden={inSpoolman}>
                Import CSV
              </button>
              <input
                ref={fileInput}
                type="file"
                accept=".csv,text/csv"
                hidden
                data-testid="spools-import-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f) void importCsv(f);
                }}
              />
              <button type="button" className="btn" onClick={() => setEditing('new')} data-testid="spool-add">
                Add spool
              </button>
            </>
          )}
        </div>
      </header>
      {spoolman && inSpoolman && <SpoolmanBanner status={spoolman} canSync={canWrite} />}
      <MaterialSyncStrip />
      {importNote && (
        <p className={importNote.ok ? 'notice' : 'field-error'} role={importNote.ok ? 'status' : 'alert'} data-testid="spools-import-note">
          {importNote.text}
        </p>
      )}
      {shown.length === 0 ? (
        <EmptyState title="No spools yet">
          Add the spools you have (or import a CSV), then load one onto each printer: the queue sends each job only to a printer whose spool has its material, colour and enough
          filament, and every print takes what it used off the spool.
        </EmptyState>
      ) : (
        <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-testid="spools-table">
          <thead style={{ textAlign: 'left' }}>
            <tr>
              <th>Spool</th>
              <th>Brand</th>
              <th>Remaining</th>
              <th>Loaded on</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr
                key={s.id}
                data-testid="spool-row"
                data-spool-id={s.id}
                aria-current={focus === s.id ? 'true' : undefined}
                style={{ ...(s.archived ? { opacity: 0.6 } : {}), ...(focus === s.id ? { outline: '2px solid var(--accent, #3b82f6)' } : {}) }}
              >
                <td>
                  <span className="row" style={{ gap: 8 }}>
                    <Swatch hex={s.colourHex} />
                    <strong>{s.material}</strong> {s.colourName || s.colourHex}
                    {s.archived ? <span className="muted"> (archived)</span> : null}
                    {s.spoolman?.missing ? (
                      <span className="field-error" data-testid="spool-missing">
                        {' '}
                        deleted in Spoolman
                      </span>
                    ) : null}
                  </span>
                </td>
                <td>
                  {s.brand}
                  {s.lot ? <span className="muted"> · lot {s.lot}</span> : null}
                </td>
                <td>
                  <RemainingBar spool={s} />
                </td>
                <td>
                  {canWrite && !s.archived ? (
                    <select
                      aria-label={`Load ${s.material} ${s.colourName || s.colourHex} onto`}
                      value={s.loadedOn?.printerId ?? ''}
                      onChange={(e) => place(s, e.target.value)}
                      data-testid="spool-load"
                      style={{ minWidth: 160 }}
                    >
                      <option value="">Not loaded</option>
                      {printers.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  ) : (
                    ((s.loadedOn && names.get(s.loadedOn.printerId)) ?? '—')
                  )}
                </td>
                <td>
                  <span className="row" style={{ gap: 6 }}>
                    <a className="btn btn-quiet btn-small" href={`#/spools/${encodeURIComponent(s.id)}/label`} data-testid="spool-label-link">
                      Print label
                    </a>
                    {canWrite && (
                      <span className="row" style={{ gap: 6 }}>
                        <button type="button" className="btn btn-quiet btn-small" onClick={() => setEditing(s)}>
                          Edit
                        </button>
                        {s.archived ? (
                          <button type="button" className="btn btn-quiet btn-small" onClick={() => void actions.attempt(() => api.call('spools.restore', { spoolId: s.id }))}>
                            Restore
                          </button>
                        ) : (
                          <button type="button" className="btn btn-quiet btn-small" onClick={() => void actions.attempt(() => api.call('spools.archive', { spoolId: s.id }))}>
                            Archive
                          </button>
                        )}
                      </span>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <SpoolDialog spool={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}
