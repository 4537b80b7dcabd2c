import { useEffect, useState } from 'react';
import type { TimelapseView } from '../../../../electron/core/contract';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;

/** A printer's time-lapse switch and size cap, under its camera; how they are assembled here, and why not as video. */
export function TimelapseOption({ printerId }: { printerId: string }) {
  const { api, actions } = useApp();
  const manage = useCan('fleet:manage');
  const [view, setView] = useState<TimelapseView | null>(null);
  const [cap, setCap] = useState('');

  useEffect(() => {
    let live = true;
    void actions.attempt(async () => {
      const v = await api.call('snapshots.timelapse', { printerId });
      if (!live) return;
      setView(v);
      setCap(String(v.capMb));
    });
    return () => void (live = false);
  }, [api, actions, printerId]);

  if (!view) return null;
  const save = async (enabled: boolean) => {
    // The box follows the click at once; the host's answer (or the old value, if it refuses) replaces it.
    setView({ ...view, enabled });
    const capMb = Number(cap);
    const next = await actions.attempt(() => api.call('snapshots.setTimelapse', { printerId, enabled, capMb: Number.isFinite(capMb) ? Math.round(capMb) : view.capMb }));
    if (next) {
      setView(next);
      setCap(String(next.capMb));
    } else setView(view);
  };
  return (
    <div className="timelapse-option" data-testid="timelapse-option">
      <label className="row">
        <input type="checkbox" checked={view.enabled} disabled={!manage} onChange={(e) => void save(e.target.checked)} data-testid="timelapse-enabled" />
        Time-lapse of each print (a frame per layer)
      </label>
      <label className="row">
        keep up to
        <input
          type="number"
          min={10}
          step={10}
          value={cap}
          disabled={!manage}
          onChange={(e) => setCap(e.target.value)}
          onBlur={() => void (Number(cap) !== view.capMb && save(view.enabled))}
          aria-label="Time-lapse space per printer in MiB"
        />
        MiB
      </label>
      <span className="muted">{mib(view.usedBytes)} used; the oldest go first.</span>
      {view.enabled && view.assemblyProblem ? (
        <p className="notice notice-warn" style={{ margin: 0 }} data-testid="timelapse-problem">
          {view.assemblyProblem}
        </p>
      ) : null}
    </div>
  );
}
