import { useEffect, useState, type FormEvent } from 'react';
import type { CostSettings } from '../../../../electron/core/contract';
import { useFormAction } from '../../components/use-form-action';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';

/** A price field's text as the method wants it: empty = not counted (null). */
const priceOf = (text: string): number | null => (text.trim() === '' ? null : Number(text.replace(',', '.')));

/** The farm's prices, which each print's cost is reckoned at when it ends (the history keeps it as it was). */
export function CostSettingsPanel() {
  const { api, actions } = useApp();
  const manage = useCan('fleet:manage');
  const [saved, setSaved] = useState<CostSettings | null>(null);
  const [form, setForm] = useState({ currency: '', electricity: '', filament: '' });
  const { busy, error, run } = useFormAction();

  const show = (s: CostSettings) => {
    setSaved(s);
    setForm({ currency: s.currency, electricity: s.electricityPerKwh?.toString() ?? '', filament: s.filamentPerKg?.toString() ?? '' });
  };
  useEffect(() => {
    void actions.attempt(async () => show((await api.call('costs.get')).settings));
  }, [api, actions]);

  if (!saved) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      show(await api.call('costs.setSettings', { currency: form.currency, electricityPerKwh: priceOf(form.electricity), filamentPerKg: priceOf(form.filament) }));
      actions.toast('info', 'Prices saved. Prints from now on are costed at them.');
    });
  };
  return (
    <form className="panel form" onSubmit={submit} data-testid="cost-settings">
      <h2>Costs</h2>
      <p className="muted" style={{ margin: 0 }}>
        Each print&apos;s cost is filament (at its spool&apos;s price, or the price per kg below), electricity (the printer&apos;s power × hours × the price per kWh) and wear (set
        per printer on its page). Leave a price empty not to count it.
      </p>
      <div className="row" style={{ flexWrap: 'wrap', gap: 14 }}>
        <label className="field">
          <span>Currency</span>
          <input name="currency" value={form.currency} maxLength={3} size={4} disabled={!manage} onChange={(e) => setForm({ ...form, currency: e.target.value })} />
        </label>
        <label className="field">
          <span>Electricity per kWh</span>
          <input
            name="electricityPerKwh"
            inputMode="decimal"
            value={form.electricity}
            placeholder="not counted"
            disabled={!manage}
            onChange={(e) => setForm({ ...form, electricity: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Filament per kg (prints without a priced spool)</span>
          <input
            name="filamentPerKg"
            inputMode="decimal"
            value={form.filament}
            placeholder="not counted"
            disabled={!manage}
            onChange={(e) => setForm({ ...form, filament: e.target.value })}
          />
        </label>
      </div>
      {error && (
        <p className="field-error" data-testid="cost-settings-error">
          {error}
        </p>
      )}
      {manage && (
        <div className="row end">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Save prices
          </button>
        </div>
      )}
    </form>
  );
}
