import { useState } from 'react';
import type { Axis } from '../../../../electron/core/printers/model';

const STEPS = [0.1, 1, 10, 50] as const;

/** Relative moves with a chosen step, plus homing and motors off. */
export function JogPanel({
  disabled,
  onJog,
  onHome,
  onMotorsOff,
}: {
  disabled: boolean;
  onJog: (axis: Axis, mm: number) => void;
  onHome: (axes?: Axis[]) => void;
  onMotorsOff: () => void;
}) {
  const [step, setStep] = useState<number>(10);
  const button = (axis: Axis, sign: 1 | -1) => (
    <button
      type="button"
      className="btn btn-quiet jog"
      disabled={disabled}
      onClick={() => onJog(axis, sign * step)}
      aria-label={`Move ${axis.toUpperCase()} ${sign > 0 ? '+' : '−'}${step} mm`}
    >
      {axis.toUpperCase()}
      {sign > 0 ? '+' : '−'}
    </button>
  );
  return (
    <div className="jog-panel">
      <div className="row" role="radiogroup" aria-label="Step size">
        <span className="muted">Step</span>
        {STEPS.map((s) => (
          <label key={s} className={`chip${s === step ? ' chip-on' : ''}`}>
            <input type="radio" name="jog-step" className="sr-only" checked={s === step} onChange={() => setStep(s)} disabled={disabled} />
            {s} mm
          </label>
        ))}
      </div>
      <div className="jog-grid">
        {button('x', -1)}
        {button('x', 1)}
        {button('y', -1)}
        {button('y', 1)}
        {button('z', -1)}
        {button('z', 1)}
      </div>
      <div className="row">
        <button type="button" className="btn" onClick={() => onHome()} disabled={disabled}>
          Home all
        </button>
        {(['x', 'y', 'z'] as const).map((axis) => (
          <button key={axis} type="button" className="btn btn-quiet" onClick={() => onHome([axis])} disabled={disabled}>
            Home {axis.toUpperCase()}
          </button>
        ))}
        <button type="button" className="btn btn-quiet" onClick={onMotorsOff} disabled={disabled}>
          Motors off
        </button>
      </div>
    </div>
  );
}
