import { useEffect, useState, type FormEvent } from 'react';
import type { PrinterCostRates } from '../../../../electron/core/contract';
import { useFormAction } from '../../components/use-form-action';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';

const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text.replace(',', '.')));

/** A printer's power draw and wear per hour, which its prints' electricity and wear are costed at. */
export function RunningCostPanel({ printerId }: { printerId: string }) {
  const { api, actions } = useApp();
  const manage = useCan('fleet:manage');
  const [rates, setRates] = useState<PrinterCostRates | null>(null);
  const [currency, setCurrency] = useState('EUR');
  const [form, setForm] = useState({ watts: '', wear: '' });
  const { busy, error, run } = useFormAction();

  const show = (r: PrinterCostRates) => {
    setRates(r);
    setForm({ watts: r.watts?.toString() ?? '', wear: r.wearPerHour?.toString() ?? '' });
  };
  useEffect(() => {
    void actions.attempt(async () => {
      const view = await api.call('costs.get');
      setCurrency(view.settings.currency);
      const mine = view.printers.find((p) => p.printerId === printerId);
      if (mine) show(mine);
    });
  }, [api, actions, printerId]);

  if (!rates) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      show(await api.call('costs.setPrinter', { printerId, watts: numberOrNull(form.watts), wearPerHour: numberOrNull(form.wear) }));
      actions.toast('info', 'Running cost saved.');
    });
  };
  return (
    <form className="panel form" onSubmit={submit} data-testid="running-cost">
      <h2>Running cost</h2>
      <div className="row" style={{ flexWrap: 'wrap', gap: 14 }}>
        <label className="field">
          <span>Power while printing (W)</span>
          <input name="watts" inputMode="decimal" value={form.watts} placeholder="not counted" disabled={!manage} onChange={(e) => setForm({ ...form, watts: e.target.value })} />
        </label>
        <label className="field">
          <span>Wear per printing hour ({currency})</span>
          <input
            name="wearPerHour"
            inputMode="decimal"
            value={form.wear}
            placeholder="not counted"
            disabled={!manage}
            onChange={(e) => setForm({ ...form, wear: e.target.value })}
          />
        </label>
        {manage && (
          <button type="submit" className="btn" disabled={busy} style={{ alignSelf: 'end' }}>
            Save
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" data-testid="running-cost-error">
          {error}
        </p>
      )}
    </form>
  );
}
