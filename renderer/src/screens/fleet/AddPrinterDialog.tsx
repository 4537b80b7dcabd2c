import { useEffect, useState, type FormEvent } from 'react';
import type { MethodInput } from '../../../../electron/core/contract';
import type { DiscoveredPrinter, LanKind } from '../../../../electron/core/contract/lan-types';
import { Modal } from '../../components/Modal';
import { useApp } from '../../store/context';
import { AddPrinterSection, SECTIONS, emptyFields, type LanFields } from './AddPrinterSections';
import { useFormAction } from '../../components/use-form-action';

/**
 * Adds a network printer: printers found on the LAN are listed first (a click fills the form), then one
 * section per kind with the fields that kind needs. Secrets go to the core and never come back.
 */
export function AddPrinterDialog({ onClose }: { onClose: () => void }) {
  const { api, actions } = useApp();
  const [found, setFound] = useState<DiscoveredPrinter[] | null>(null);
  const [kind, setKind] = useState<LanKind>('octoprint');
  const [fields, setFields] = useState<LanFields>(emptyFields());
  const { busy, error, setError, run } = useFormAction();

  const scan = async () => {
    setFound(null);
    const result = await actions.attempt(() => api.call('discovery.scan', { timeoutMs: 3000 }));
    setFound(result ?? []);
  };
  useEffect(() => void scan(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const pick = (p: DiscoveredPrinter) => {
    setKind(p.kind);
    setFields({ ...emptyFields(), name: p.name, address: p.address, serial: p.serial ?? '' });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const built = SECTIONS[kind].build(fields);
    if (typeof built === 'string') return setError(built);
    await run(async () => {
      const { printer, credential } = await api.call('printers.add', built as MethodInput<'printers.add'>);
      // Session-only (no keyring) or plaintext: the message says which and what to do; the printer's page keeps the warning.
      if (credential.protection !== 'encrypted' && credential.message) actions.toast('error', credential.message);
      actions.toast('info', `${printer.name} added.`);
      onClose();
    });
  };

  return (
    <Modal title="Add a network printer" onClose={onClose} testId="add-printer-dialog">
      <section className="discovered" aria-label="Printers found on the network" data-testid="discovered">
        <div className="row">
          <strong>Found on the network</strong>
          <button type="button" className="btn btn-quiet" onClick={() => void scan()} disabled={found === null}>
            {found === null ? 'Looking…' : 'Look again'}
          </button>
        </div>
        {found?.length === 0 && <p className="muted">No printers answered. Enter the address below.</p>}
        {found && found.length > 0 && (
          <ul className="discovered-list" style={{ listStyle: 'none', padding: 0, margin: '6px 0' }}>
            {found.map((p) => (
              <li key={`${p.kind}|${p.address}|${p.serial ?? ''}`}>
                <button type="button" className="btn btn-quiet" data-testid="discovered-printer" onClick={() => pick(p)}>
                  {p.name} · {SECTIONS[p.kind].label} · {p.address}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field" role="radiogroup" aria-label="Kind of printer">
          <span>Kind</span>
          <div className="row">
            {(Object.keys(SECTIONS) as LanKind[]).map((k) => (
              <label key={k} className="radio">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`kind-${k}`} /> {SECTIONS[k].label}
              </label>
            ))}
          </div>
        </div>
        <AddPrinterSection kind={kind} fields={fields} onChange={setFields} />
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="row end">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn" disabled={busy} data-testid="add-printer-submit">
            {busy ? 'Adding…' : 'Add printer'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
