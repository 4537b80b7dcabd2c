import { useState, type FormEvent } from 'react';
import { FormFooter } from '../../components/FormFooter';
import type { SpoolFields, SpoolView } from '../../../../electron/core/contract/materials-types';
import { Modal } from '../../components/Modal';
import { useApp } from '../../store/context';

/** Typical densities (g/cm³), filled in when the material is picked so a new spool needs only its weight. */
const DENSITY: Record<string, number> = { PLA: 1.24, PETG: 1.27, ABS: 1.04, ASA: 1.07, TPU: 1.21, PA: 1.14, PC: 1.2 };

const EMPTY: SpoolFields = {
  material: 'PLA',
  brand: '',
  colourHex: '#000000',
  colourName: '',
  diameterMm: 1.75,
  densityGCm3: 1.24,
  netWeightG: 1000,
  remainingG: 1000,
  cost: null,
  lot: '',
};

type Draft = Record<keyof SpoolFields, string>;
const toDraft = (f: SpoolFields): Draft => ({
  material: f.material,
  brand: f.brand,
  colourHex: f.colourHex,
  colourName: f.colourName,
  diameterMm: String(f.diameterMm),
  densityGCm3: String(f.densityGCm3),
  netWeightG: String(f.netWeightG),
  remainingG: String(f.remainingG),
  cost: f.cost === null ? '' : String(f.cost),
  lot: f.lot,
});

/** Adds a spool, or edits one. The host validates every field; its message is shown under the form. */
export function SpoolDialog({ spool, onClose }: { spool: SpoolView | null; onClose: () => void }) {
  const { api } = useApp();
  const [draft, setDraft] = useState<Draft>(() => toDraft(spool ?? EMPTY));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof SpoolFields) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const num = (s: string) => (s.trim() === '' ? NaN : Number(s.replace(',', '.')));
    const fields = {
      material: draft.material,
      brand: draft.brand,
      colourHex: draft.colourHex,
      colourName: draft.colourName,
      diameterMm: num(draft.diameterMm),
      densityGCm3: num(draft.densityGCm3),
      netWeightG: num(draft.netWeightG),
      remainingG: num(draft.remainingG),
      cost: draft.cost.trim() === '' ? null : num(draft.cost),
      lot: draft.lot,
    };
    setBusy(true);
    setError(null);
    try {
      if (spool) await api.call('spools.update', { spoolId: spool.id, ...fields });
      else await api.call('spools.create', fields);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof SpoolFields, label: string, props: Record<string, unknown> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input type="text" value={draft[k]} onChange={set(k)} name={k} {...props} />
    </label>
  );

  return (
    <Modal title={spool ? 'Edit spool' : 'Add spool'} onClose={onClose} testId="spool-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="panel-row" style={{ gap: 12 }}>
          <label className="field">
            <span>Material</span>
            <input
              type="text"
              name="material"
              list="spool-materials"
              value={draft.material}
              onChange={(e) => {
                const material = e.target.value;
                const density = DENSITY[material.trim().toUpperCase()];
                setDraft((d) => ({ ...d, material, ...(density && !spool ? { densityGCm3: String(density) } : {}) }));
              }}
            />
            <datalist id="spool-materials">
              {Object.keys(DENSITY).map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </label>
          {field('brand', 'Brand')}
        </div>
        <div className="panel-row" style={{ gap: 12 }}>
          <label className="field">
            <span>Colour</span>
            <span className="row" style={{ gap: 6 }}>
              <input type="color" aria-label="Colour picker" value={/^#[0-9a-fA-F]{6}$/.test(draft.colourHex) ? draft.colourHex : '#000000'} onChange={set('colourHex')} />
              <input type="text" name="colourHex" aria-label="Colour code" value={draft.colourHex} onChange={set('colourHex')} style={{ width: 100 }} />
            </span>
          </label>
          {field('colourName', 'Colour name', { placeholder: 'e.g. Galaxy black' })}
        </div>
        <div className="panel-row" style={{ gap: 12 }}>
          {field('diameterMm', 'Diameter (mm)', { inputMode: 'decimal' })}
          {field('densityGCm3', 'Density (g/cm³)', { inputMode: 'decimal' })}
        </div>
        <div className="panel-row" style={{ gap: 12 }}>
          {field('netWeightG', 'Net weight (g)', { inputMode: 'decimal' })}
          {field('remainingG', 'Remaining (g)', { inputMode: 'decimal' })}
        </div>
        <div className="panel-row" style={{ gap: 12 }}>
          {field('cost', 'Cost', { inputMode: 'decimal', placeholder: 'optional' })}
          {field('lot', 'Lot', { placeholder: 'optional' })}
        </div>
        <FormFooter error={error} errorTestId="spool-error" busy={busy} submitLabel={spool ? 'Save' : 'Add spool'} onCancel={onClose} />
      </form>
    </Modal>
  );
}
