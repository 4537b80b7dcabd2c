import { useEffect, useRef } from 'react';
import uPlot, { type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface BarSeries {
  label: string;
  values: number[];
  color: string;
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/**
 * A small uPlot bar chart over named categories (printers, materials, days). Rebuilt when its data changes: it is
 * not live. `stacked`: the series are parts of one bar (filament, electricity, wear of a cost); each is drawn as
 * the running sum up to it, the tallest first, so the parts show stacked in their colours.
 */
export function BarChart({ labels, series: parts, unit, testId, stacked }: { labels: string[]; series: BarSeries[]; unit: string; testId?: string; stacked?: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const series = stacked ? stack(parts) : parts;
  const key = JSON.stringify([labels, series.map((s) => s.values), stacked]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axisColor = cssVar(el, '--muted', '#888');
    const grid = cssVar(el, '--grid', 'rgba(128,128,128,0.15)');
    const axisStyle = { stroke: axisColor, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const n = stacked ? 1 : series.length;
    const labelStep = Math.max(1, Math.ceil(labels.length / 8));
    const opts: Options = {
      width: el.clientWidth || 480,
      height: 220,
      scales: { x: { time: false, range: () => [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 0) * 1.1)] } },
      axes: [
        // At most about eight labels, so thirty days stay readable.
        { ...axisStyle, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) && t % labelStep === 0 ? (labels[t] ?? '') : '')), splits: () => labels.map((_, i) => i) },
        { ...axisStyle, label: unit },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color,
          fill: s.color,
          width: 0,
          points: { show: false },
          // One series: centred on its label; two: side by side, one each side of it.
          paths: uPlot.paths.bars!({ size: [n > 1 ? 0.35 : 0.6, 60], align: n > 1 ? (i === 0 ? -1 : 1) : 0 }),
        })),
      ],
      legend: { show: series.length > 1, live: false },
      cursor: { show: false },
    };
    const data = [labels.map((_, i) => i), ...series.map((s) => s.values)] as uPlot.AlignedData;
    const chart = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth || 480, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
    // `key` is the content of labels and series: the chart is rebuilt when the numbers change, not on every
    // render that hands over equal arrays.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, unit]);
  return <div ref={host} className="chart" style={{ minHeight: 220 }} data-testid={testId} />;
}

/** Running sums, tallest first: drawn in that order, each part shows above the ones before it. */
function stack(parts: BarSeries[]): BarSeries[] {
  const sums = parts.map((_, i) => ({ ...parts[i]!, values: parts[0]!.values.map((_, j) => parts.slice(0, i + 1).reduce((sum, p) => sum + (p.values[j] ?? 0), 0)) }));
  return sums.reverse();
}
