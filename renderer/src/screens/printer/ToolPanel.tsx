import { useState } from 'react';

/** Extrude and retract a length, and set the part-cooling fan. */
export function ToolPanel({ disabled, onExtrude, onFan }: { disabled: boolean; onExtrude: (mm: number) => void; onFan: (percent: number) => void }) {
  const [length, setLength] = useState('5');
  const [fan, setFan] = useState(100);
  const mm = Number(length);
  const lengthOk = Number.isFinite(mm) && mm > 0 && mm <= 200;
  return (
    <div className="tool-panel">
      <div className="row">
        <label htmlFor="extrude-mm" className="muted">
          Filament
        </label>
        <input id="extrude-mm" type="number" min={0.1} max={200} value={length} onChange={(e) => setLength(e.target.value)} disabled={disabled} aria-invalid={!lengthOk} />
        <span className="muted">mm</span>
        <button type="button" className="btn btn-quiet" disabled={disabled || !lengthOk} onClick={() => onExtrude(mm)}>
          Extrude
        </button>
        <button type="button" className="btn btn-quiet" disabled={disabled || !lengthOk} onClick={() => onExtrude(-mm)}>
          Retract
        </button>
      </div>
      <div className="row">
        <label htmlFor="fan-speed" className="muted">
          Fan
        </label>
        <input id="fan-speed" type="range" min={0} max={100} step={5} value={fan} onChange={(e) => setFan(Number(e.target.value))} disabled={disabled} />
        <span className="mono">{fan} %</span>
        <button type="button" className="btn btn-quiet" disabled={disabled} onClick={() => onFan(fan)}>
          Set fan
        </button>
        <button type="button" className="btn btn-quiet" disabled={disabled} onClick={() => onFan(0)}>
          Fan off
        </button>
      </div>
    </div>
  );
}
