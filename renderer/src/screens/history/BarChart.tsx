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

/** A small uPlot bar chart over named categories (printers, materials, days). Rebuilt when its data changes: it is not live. */
export function BarChart({ labels, series, unit, testId }: { labels: string[]; series: BarSeries[]; unit: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([labels, series.map((s) => s.values)]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axisColor = cssVar(el, '--muted', '#888');
    const grid = cssVar(el, '--grid', 'rgba(128,128,128,0.15)');
    const axisStyle = { stroke: axisColor, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const n = series.length;
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
      legend: { show: n > 1 },
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
