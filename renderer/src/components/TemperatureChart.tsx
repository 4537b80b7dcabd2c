import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TemperatureSample } from '../../../electron/core/printers/model';

/** Turns samples into uPlot's column layout: time (s), hotend, hotend target, bed, bed target. */
export function toChartData(samples: readonly TemperatureSample[]): AlignedData {
  const t: number[] = [];
  const hotend: (number | null)[] = [];
  const hotendTarget: (number | null)[] = [];
  const bed: (number | null)[] = [];
  const bedTarget: (number | null)[] = [];
  for (const s of samples) {
    t.push(s.t / 1000);
    hotend.push(s.hotend?.actual ?? null);
    hotendTarget.push(s.hotend ? s.hotend.target : null);
    bed.push(s.bed?.actual ?? null);
    bedTarget.push(s.bed ? s.bed.target : null);
  }
  return [t, hotend, hotendTarget, bed, bedTarget];
}

/**
 * The time axis (seconds): at least the last minute, ending at the newest sample. uPlot's own range around one
 * sample (or none) spans a fraction of a second, and every tick then read the same time ("12:00:00 AM" with none).
 */
export function timeRange(min: number | null, max: number | null, nowS: number): [number, number] {
  const hi = max ?? nowS;
  return [Math.min(min ?? hi, hi - 60), hi];
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function buildOptions(el: HTMLElement, width: number): Options {
  const hot = cssVar(el, '--chart-hotend', '#e4572e');
  const bed = cssVar(el, '--chart-bed', '#2e86de');
  const axis = cssVar(el, '--muted', '#888');
  const grid = cssVar(el, '--grid', 'rgba(128,128,128,0.15)');
  const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  // A target changes in steps; drawing it as a slope between samples would show a ramp that never happened.
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const noPoints = { show: false };
  return {
    width,
    height: 280,
    scales: {
      x: { time: true, range: (_u, min, max) => timeRange(min, max, Date.now() / 1000) },
      y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(60, (max ?? 0) + 10)] },
    },
    axes: [
      {
        ...axisStyle,
        space: 90,
        values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })),
      },
      { ...axisStyle, label: '°C', values: (_u, ticks) => ticks.map((v) => `${v}`) },
    ],
    series: [
      {},
      { label: 'Hotend', stroke: hot, width: 2, points: noPoints, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)} °C`) },
      { label: 'Hotend target', stroke: hot, width: 1, dash: [6, 4], paths: stepped, points: noPoints, value: (_u, v) => (v == null ? '—' : `${v} °C`) },
      { label: 'Bed', stroke: bed, width: 2, points: noPoints, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)} °C`) },
      { label: 'Bed target', stroke: bed, width: 1, dash: [6, 4], paths: stepped, points: noPoints, value: (_u, v) => (v == null ? '—' : `${v} °C`) },
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

/** A live temperature chart drawn by uPlot; new samples are pushed with setData, never by rebuilding. */
export function TemperatureChart({ samples }: { samples: readonly TemperatureSample[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const chart = new uPlot(buildOptions(el, el.clientWidth || 600), toChartData([]), el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth || 600, height: 280 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = plot.current;
    const el = host.current;
    if (!chart || !el) return;
    chart.setData(toChartData(samples));
    const last = samples.at(-1);
    // Read by the end-to-end tests to follow what the chart has drawn.
    el.dataset.points = String(samples.length);
    el.dataset.lastHotend = last?.hotend ? last.hotend.actual.toFixed(1) : '';
    el.dataset.lastBed = last?.bed ? last.bed.actual.toFixed(1) : '';
  }, [samples]);

  return <div className="chart" ref={host} data-testid="temperature-chart" aria-label="Temperature chart" />;
}
