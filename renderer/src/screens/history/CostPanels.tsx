import type { CostAnalytics, CostRow, PrintCost } from '../../../../electron/core/contract';
import { BarChart, type BarSeries } from './BarChart';
import { Panel } from './Panel';

const COLOURS = { filament: 'rgba(183, 121, 31, 0.85)', energy: 'rgba(37, 99, 235, 0.75)', wear: 'rgba(107, 114, 128, 0.75)' };

export function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** "Filament 0.09 · electricity 0.12 · wear 1.50", with "not counted" for a part whose price was not set. */
export function costParts(c: PrintCost): string {
  const part = (name: string, v: number | null) => `${name} ${v === null ? 'not counted' : money(v, c.currency)}`;
  return [part('Filament', c.filament), part('electricity', c.energy), part('wear', c.wear)].join(' · ');
}

function parts(rows: CostRow<object>[]): BarSeries[] {
  return [
    { label: 'Filament', values: rows.map((r) => r.filament), color: COLOURS.filament },
    { label: 'Electricity', values: rows.map((r) => r.energy), color: COLOURS.energy },
    { label: 'Wear', values: rows.map((r) => r.wear), color: COLOURS.wear },
  ];
}

const weekLabel = (ms: number) => `wk ${new Date(ms).toLocaleDateString([], { month: 'short', day: 'numeric', timeZone: 'UTC' })}`;

/** The period's cost and material use by printer, material and week: filament, electricity and wear stacked. */
export function CostPanels({ cost }: { cost: CostAnalytics }) {
  const unit = cost.currency;
  return (
    <>
      <div className="panel-row">
        <div className="panel" data-testid="cost-summary">
          <h2 style={{ margin: '0 0 8px', fontSize: 16 }}>Cost</h2>
          <div style={{ fontSize: 36, fontWeight: 700 }} data-testid="cost-total">
            {money(cost.total, cost.currency)}
          </div>
          <p className="muted" style={{ margin: 0 }}>
            Filament, electricity and machine wear of the prints in this period, at the prices when each ended.
          </p>
          {cost.uncosted > 0 ? (
            <p className="muted" style={{ margin: '4px 0 0' }} data-testid="cost-uncosted">
              {cost.uncosted === 1 ? '1 print has' : `${cost.uncosted} prints have`} no cost: no price was set when {cost.uncosted === 1 ? 'it' : 'they'} ended. Set prices in
              Settings and each printer&apos;s power and wear on its page.
            </p>
          ) : null}
          {cost.otherCurrency > 0 ? (
            <p className="muted" style={{ margin: '4px 0 0' }}>
              {cost.otherCurrency} {cost.otherCurrency === 1 ? 'print was' : 'prints were'} costed in another currency and {cost.otherCurrency === 1 ? 'is' : 'are'} not added in.
            </p>
          ) : null}
        </div>
        <Panel title="Cost per printer">
          <BarChart testId="chart-cost-printer" stacked labels={cost.byPrinter.map((p) => p.printerName)} unit={unit} series={parts(cost.byPrinter)} />
        </Panel>
      </div>
      <div className="panel-row">
        <Panel title="Cost per week">
          <BarChart testId="chart-cost-week" stacked labels={cost.byWeek.map((w) => weekLabel(w.week))} unit={unit} series={parts(cost.byWeek)} />
        </Panel>
        <Panel title="Cost per material">
          <BarChart testId="chart-cost-material" stacked labels={cost.byMaterial.map((m) => m.material)} unit={unit} series={parts(cost.byMaterial)} />
        </Panel>
      </div>
      <div className="panel-row">
        <Panel title="Filament per printer">
          <BarChart
            testId="chart-filament-printer"
            labels={cost.byPrinter.map((p) => p.printerName)}
            unit="grams"
            series={[{ label: 'Filament', values: cost.byPrinter.map((p) => p.grams), color: COLOURS.filament }]}
          />
        </Panel>
        <Panel title="Filament per week">
          <BarChart
            testId="chart-filament-week"
            labels={cost.byWeek.map((w) => weekLabel(w.week))}
            unit="grams"
            series={[{ label: 'Filament', values: cost.byWeek.map((w) => w.grams), color: COLOURS.filament }]}
          />
        </Panel>
      </div>
    </>
  );
}
