import { useEffect, useState } from 'react';
import type { HistoryAnalytics, HistoryEntry } from '../../../../electron/core/contract/jobs-types';
import { download } from '../../components/download';
import { EmptyState } from '../../components/EmptyState';
import { formatDuration } from '../../components/format';
import { useApp, useAppState } from '../../store/context';
import { BarChart } from './BarChart';
import { costTotal } from '../../../../electron/core/contract/cost-types';
import { CostPanels, costParts, money } from './CostPanels';
import { Panel } from './Panel';
import { PrintPictures } from './PrintPictures';
import { usePrintPictures } from './use-print-pictures';

const PERIODS = [7, 30, 90, 365] as const;

const dayLabel = (ms: number) => new Date(ms).toLocaleDateString([], { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function HistoryScreen() {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [days, setDays] = useState<number>(30);
  const [analytics, setAnalytics] = useState<HistoryAnalytics | null>(null);
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!connected) return;
    void actions.attempt(async () => {
      const [a, list] = await Promise.all([api.call('history.analytics', { days }), api.call('history.list', { limit: 100 })]);
      setAnalytics(a);
      setEntries(list);
    });
  }, [api, connected, days, version, actions]);

  useEffect(() => api.on('history.added', () => setVersion((v) => v + 1)), [api]);
  const pictures = usePrintPictures(entries.map((e) => e.id));

  const exportCostCsv = async () => {
    const out = await actions.attempt(() => api.call('costs.exportCsv', { days }));
    if (out) download(out.fileName, out.csv);
  };

  const exportCsv = async () => {
    const out = await actions.attempt(() => api.call('history.exportCsv', { days }));
    if (out) download(out.fileName, out.csv);
  };

  const ok = 'var(--ok)';
  return (
    <section className="screen" aria-labelledby="history-title">
      <header className="screen-head">
        <h1 id="history-title">History</h1>
        <div className="head-actions">
          <label className="row">
            Period
            <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {PERIODS.map((d) => (
                <option key={d} value={d}>
                  Last {d} days
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn" onClick={() => void exportCsv()} data-testid="history-export">
            Export CSV
          </button>
          <button type="button" className="btn" onClick={() => void exportCostCsv()} data-testid="cost-export">
            Export cost CSV
          </button>
        </div>
      </header>
      {analytics && analytics.total === 0 ? (
        <EmptyState title="No finished prints in this period">
          Every print is recorded here when it ends, whether the queue started it or someone started it on the printer: outcome, duration, filament and printer.
        </EmptyState>
      ) : analytics ? (
        <>
          <div className="panel-row">
            <div className="panel" data-testid="history-summary">
              <h2 style={{ margin: '0 0 8px', fontSize: 16 }}>Success rate</h2>
              <div style={{ fontSize: 36, fontWeight: 700 }}>{analytics.successRate === null ? '—' : `${Math.round(analytics.successRate * 100)} %`}</div>
              <p className="muted" style={{ margin: 0 }}>
                {analytics.byOutcome.completed} completed · {analytics.byOutcome.failed} failed · {analytics.byOutcome.interrupted} interrupted · {analytics.byOutcome.cancelled}{' '}
                cancelled
              </p>
              {analytics.bySource.manual > 0 ? (
                <p className="muted" style={{ margin: '4px 0 0' }} data-testid="history-manual-count">
                  {analytics.bySource.manual === 1 ? '1 print was' : `${analytics.bySource.manual} prints were`} started by hand on a printer, not from the queue.
                </p>
              ) : null}
            </div>
            <Panel title="Utilisation per printer">
              <BarChart
                testId="chart-utilisation"
                labels={analytics.utilisation.map((u) => u.printerName)}
                unit="% of the period printing"
                series={[{ label: 'Printing', values: analytics.utilisation.map((u) => Math.round(u.fraction * 1000) / 10), color: 'rgba(37, 99, 235, 0.75)' }]}
              />
            </Panel>
          </div>
          <div className="panel-row">
            <Panel title="Prints per day">
              <BarChart
                testId="chart-per-day"
                labels={analytics.perDay.map((d) => dayLabel(d.day))}
                unit="prints"
                series={[
                  { label: 'Completed', values: analytics.perDay.map((d) => d.completed), color: 'rgba(30, 142, 62, 0.75)' },
                  { label: 'Failed or interrupted', values: analytics.perDay.map((d) => d.failed), color: 'rgba(192, 57, 43, 0.75)' },
                ]}
              />
            </Panel>
            <Panel title="Filament by material">
              <BarChart
                testId="chart-filament"
                labels={analytics.filamentByMaterial.map((f) => f.material)}
                unit="grams"
                series={[{ label: 'Filament', values: analytics.filamentByMaterial.map((f) => f.grams), color: 'rgba(183, 121, 31, 0.8)' }]}
              />
            </Panel>
          </div>
          <CostPanels cost={analytics.cost} />
          <Panel title="Recent prints">
            <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-testid="history-table">
              <thead>
                <tr className="muted" style={{ textAlign: 'left' }}>
                  <th>Ended</th>
                  <th>File</th>
                  <th>Printer</th>
                  <th>Outcome</th>
                  <th>Duration</th>
                  <th>Filament</th>
                  <th>Cost</th>
                  <th>Pictures</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id} style={{ borderTop: '1px solid var(--border)' }} data-source={e.source} data-history-id={e.id}>
                    <td>{new Date(e.endedAt).toLocaleString()}</td>
                    <td style={{ overflowWrap: 'anywhere' }}>
                      {e.fileName}
                      {e.source === 'manual' ? (
                        <>
                          {' '}
                          <span className="pill" data-testid="history-manual" title="Started on the printer itself, not from the queue">
                            by hand
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{e.printerName}</td>
                    <td title={e.reason ?? undefined} style={{ color: e.outcome === 'completed' ? ok : e.outcome === 'cancelled' ? undefined : 'var(--danger)' }}>
                      {e.outcome}
                    </td>
                    <td>{formatDuration(e.durationSeconds)}</td>
                    <td>
                      {e.filamentG !== null ? `${e.filamentG.toFixed(1)} g` : '—'}
                      {e.material ? ` ${e.material}` : ''}
                    </td>
                    <td data-testid="history-cost" title={e.cost ? costParts(e.cost) : 'No price was set when this print ended (Settings → Costs).'}>
                      {e.cost ? money(costTotal(e.cost), e.cost.currency) : '—'}
                    </td>
                    <td>
                      <PrintPictures pictures={pictures.get(e.id) ?? []} fileName={e.fileName} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        </>
      ) : null}
    </section>
  );
}
