import { useEffect, useState, type FormEvent } from 'react';
import type { SpoolmanCheck } from '../../../../electron/core/contract/spoolman-types';
import { useFormAction } from '../../components/use-form-action';
import { useApp } from '../../store/context';
import { useSpoolmanStatus } from '../spools/use-spoolman';

/**
 * Where spools are kept: here, or on a Spoolman server (admin only). Check asks the server for its version without
 * changing anything; Use switches to it only once it answers.
 */
export function SpoolmanPanel() {
  const { api } = useApp();
  const status = useSpoolmanStatus();
  const [url, setUrl] = useState('');
  const [checked, setChecked] = useState<SpoolmanCheck | null>(null);
  const { busy, error, setError, run } = useFormAction();
  useEffect(() => {
    if (status?.url) setUrl((u) => u || status.url!);
  }, [status?.url]);

  const check = () =>
    run(async () => {
      setChecked(null);
      setChecked(await api.call('spoolman.check', { url }));
    });
  const use = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setChecked(null);
      await api.call('spoolman.configure', { url });
    });
  };

  return (
    <div className="panel" data-testid="spoolman-panel">
      <h2>Spoolman</h2>
      <p data-testid="spoolman-source">
        {status?.source === 'spoolman' ? (
          <>
            Spools are read from and written to Spoolman at <span className="mono">{status.url}</span>
            {status.version ? ` (version ${status.version})` : ''}. Which spool is on which printer is kept here.
          </>
        ) : (
          'Spools are kept here, in this app. Point it at a Spoolman server to keep them there instead.'
        )}
      </p>
      <form className="row" style={{ gap: 8, flexWrap: 'wrap' }} onSubmit={use}>
        <label className="sr-only" htmlFor="spoolman-url">
          Spoolman address
        </label>
        <input
          id="spoolman-url"
          name="spoolmanUrl"
          value={url}
          placeholder="http://192.168.1.20:7912"
          onChange={(e) => {
            setUrl(e.target.value);
            setChecked(null);
            setError(null);
          }}
          style={{ minWidth: 280 }}
        />
        <button type="button" className="btn btn-quiet" disabled={busy || !url.trim()} onClick={() => void check()} data-testid="spoolman-check">
          Check
        </button>
        <button type="submit" className="btn" disabled={busy || !url.trim()} data-testid="spoolman-use">
          {status?.source === 'spoolman' ? 'Use this address' : 'Use Spoolman'}
        </button>
        {status?.source === 'spoolman' && (
          <button
            type="button"
            className="btn btn-quiet"
            disabled={busy}
            onClick={() => void run(async () => void (await api.call('spoolman.configure', { url: null })))}
            data-testid="spoolman-off"
          >
            Keep spools here instead
          </button>
        )}
      </form>
      {checked && (
        <p className="notice" role="status" data-testid="spoolman-check-result">
          Spoolman {checked.version} answers at <span className="mono">{checked.url}</span>.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="spoolman-error">
          {error}
        </p>
      )}
      {status?.source === 'spoolman' && status.problem && (
        <p className="field-error" role="alert">
          {status.problem}
        </p>
      )}
    </div>
  );
}
