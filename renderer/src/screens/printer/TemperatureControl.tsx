import { useState, type FormEvent } from 'react';
import type { Heater, HeaterReading } from '../../../../electron/core/printers/model';
import { formatHeater } from '../../components/format';

const LIMITS: Record<Heater, number> = { hotend: 350, bed: 150 };

/** One heater: its reading, a target field and quick presets. */
export function TemperatureControl({
  heater,
  reading,
  disabled,
  onSet,
}: {
  heater: Heater;
  reading: HeaterReading | null;
  disabled: boolean;
  onSet: (celsius: number) => Promise<void>;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const label = heater === 'hotend' ? 'Hotend' : 'Bed';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const celsius = Number(value);
    if (value.trim() === '' || !Number.isFinite(celsius) || celsius < 0 || celsius > LIMITS[heater]) {
      setError(`Enter a temperature from 0 to ${LIMITS[heater]} °C.`);
      return;
    }
    setError(null);
    await onSet(celsius);
  };

  return (
    <form className="heater" onSubmit={(e) => void submit(e)} data-testid={`heater-${heater}`} noValidate>
      <div className="heater-head">
        <span className="heater-name">{label}</span>
        <span className="heater-reading" data-testid={`${heater}-reading`}>
          {formatHeater(reading)}
        </span>
      </div>
      <div className="row">
        <label className="sr-only" htmlFor={`target-${heater}`}>
          {label} target in °C
        </label>
        <input
          id={`target-${heater}`}
          type="number"
          inputMode="numeric"
          min={0}
          max={LIMITS[heater]}
          placeholder="°C"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          disabled={disabled}
          aria-invalid={error !== null}
        />
        <button type="submit" className="btn" disabled={disabled}>
          Set
        </button>
        <button type="button" className="btn btn-quiet" disabled={disabled} onClick={() => void onSet(0)}>
          Off
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
