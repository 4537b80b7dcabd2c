/** The printer's light, as the printer last reported it (never assumed from what was asked). */
export function LightPanel({ light, disabled, onSet }: { light: 'on' | 'off' | undefined; disabled: boolean; onSet: (on: boolean) => void }) {
  return (
    <div className="light-panel" data-testid="light-panel">
      <p>
        Chamber light: <strong data-testid="light-state">{light === 'on' ? 'On' : light === 'off' ? 'Off' : 'Not reported yet'}</strong>
      </p>
      <div className="row">
        <button type="button" className="btn btn-quiet" disabled={disabled || light === 'on'} onClick={() => onSet(true)} data-testid="light-on">
          Turn on
        </button>
        <button type="button" className="btn btn-quiet" disabled={disabled || light === 'off'} onClick={() => onSet(false)} data-testid="light-off">
          Turn off
        </button>
      </div>
    </div>
  );
}
