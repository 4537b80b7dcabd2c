import { useState, type FormEvent } from 'react';
import type { KeyReview, SetupFailure, SetupSaveResult } from '../../../../electron/core/contract/keys-types';
import { useApp } from '../../store/context';
import { navigate } from '../../store/use-route';
import { SignInPanel } from './SignInPanel';
import { FailureNotice, inputStyle, stack, warnStyle } from './ui';
import { useCloudStatus } from './use-cloud-status';

type Step =
  | { name: 'enter'; failure: SetupFailure | null }
  | { name: 'checking' }
  | { name: 'review'; review: KeyReview }
  | { name: 'saving'; review: KeyReview }
  | { name: 'done'; result: SetupSaveResult };

const STEPS = [
  ['enter', 'Paste key'],
  ['checking', 'Check'],
  ['review', 'Review'],
  ['done', 'Done'],
] as const;

/**
 * The setup wizard. The pasted key lives in this form only until it is sent to the core for checking; from
 * then on the screen only sees what the core reports: a mask, the organization and the key's permissions.
 */
export function SetupScreen() {
  const { api, actions } = useApp();
  const status = useCloudStatus();
  const [step, setStep] = useState<Step>({ name: 'enter', failure: null });
  const [pasted, setPasted] = useState('');
  const [baseUrl, setBaseUrl] = useState<string | null>(null);
  const [storeWeakly, setStoreWeakly] = useState(false);

  const check = async (input: { key?: string; useEnvironmentKey?: boolean }) => {
    setStep({ name: 'checking' });
    const result = await actions.attempt(() => api.call('keys.setup.check', { ...input, ...(baseUrl !== null ? { baseUrl } : {}) }));
    setPasted('');
    if (result === undefined) setStep({ name: 'enter', failure: null });
    else if (result.ok) setStep({ name: 'review', review: result.review });
    else setStep({ name: 'enter', failure: result.failure });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void check({ key: pasted });
  };

  const save = async (review: KeyReview) => {
    setStep({ name: 'saving', review });
    const result = await actions.attempt(() => api.call('keys.setup.save', { storeWeakly }));
    setStep(result === undefined ? { name: 'review', review } : { name: 'done', result });
  };

  const skip = async () => {
    await actions.attempt(() => api.call('keys.setup.skip'));
    navigate({ name: 'fleet' });
  };

  const back = async () => {
    await actions.attempt(() => api.call('keys.setup.cancel'));
    setStoreWeakly(false);
    setStep({ name: 'enter', failure: null });
  };

  const current = step.name === 'saving' ? 'review' : step.name;
  return (
    <section className="screen" aria-labelledby="setup-title" data-testid="setup" data-step={step.name}>
      <header className="screen-head">
        <h1 id="setup-title">Connect to AutoPrintFarm</h1>
      </header>
      <ol className="row" aria-label="Setup steps" style={{ listStyle: 'none', padding: 0, gap: 8 }}>
        {STEPS.map(([name, label], i) => (
          <li key={name} className={`chip${name === current ? ' chip-on' : ''}`} aria-current={name === current ? 'step' : undefined}>
            {i + 1}. {label}
          </li>
        ))}
      </ol>

      {(step.name === 'enter' || step.name === 'checking') && <SignInPanel />}
      {(step.name === 'enter' || step.name === 'checking') && (
        <form className="panel" style={stack} onSubmit={submit}>
          <h2 style={{ margin: 0, fontSize: 16 }}>Or paste an API key</h2>
          <p style={{ margin: 0 }}>
            Paste an API key from <strong>Settings → API Keys</strong> in your AutoPrintFarm dashboard. The app checks it, shows what it allows, and keeps it encrypted in the
            system keychain where there is one. Everything else in the app works without a key.
          </p>
          {status?.environmentKey && !status.environmentKey.inUse && (
            <div className="notice" data-testid="env-key-offer">
              Found a key in {status.environmentKey.source === 'environment' ? 'the AUTOPRINTFARM_API_KEY environment variable' : 'a .env file (AUTOPRINTFARM_API_KEY)'}:{' '}
              <span className="mono">{status.environmentKey.mask}</span>.{' '}
              <button type="button" className="btn btn-quiet" disabled={step.name === 'checking'} onClick={() => void check({ useEnvironmentKey: true })}>
                Use this key
              </button>
            </div>
          )}
          {status?.key.state === 'needs-reentry' && (
            <p className="notice" style={warnStyle}>
              {status.key.message}
            </p>
          )}
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="apf_live_…"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            style={inputStyle}
            disabled={step.name === 'checking'}
          />
          <details>
            <summary>Advanced: server address</summary>
            <div style={{ ...stack, marginTop: 8 }}>
              <label htmlFor="base-url">Server address</label>
              <input
                id="base-url"
                type="text"
                value={baseUrl ?? status?.baseUrl ?? ''}
                onChange={(e) => setBaseUrl(e.target.value)}
                style={inputStyle}
                disabled={step.name === 'checking'}
              />
              <span className="muted">
                Live and test keys use https://api.autoprintfarm.com/v1; development keys (apf_dev_) the local sandbox at http://127.0.0.1:8787/v1. Clear the field to use the
                default.{' '}
                {status &&
                  `Now: ${status.baseUrl} (${status.baseUrlSource === 'wizard' ? 'chosen in setup' : status.baseUrlSource === 'environment' ? 'from AUTOPRINTFARM_API_URL' : 'default'}).`}
              </span>
            </div>
          </details>
          {step.name === 'checking' && (
            <p className="notice" role="status" data-testid="setup-checking">
              Checking the key: format, then GET /auth/test, then its permissions…
            </p>
          )}
          {step.name === 'enter' && step.failure && <FailureNotice failure={step.failure} />}
          <div className="row" style={{ gap: 8 }}>
            <button type="submit" className="btn" disabled={step.name === 'checking' || pasted.trim() === ''}>
              Check key
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => void skip()} disabled={step.name === 'checking'}>
              Skip: use the app offline
            </button>
          </div>
        </form>
      )}

      {(step.name === 'review' || step.name === 'saving') && (
        <Review
          review={step.review}
          busy={step.name === 'saving'}
          storeWeakly={storeWeakly}
          setStoreWeakly={setStoreWeakly}
          onSave={() => void save(step.review)}
          onBack={() => void back()}
        />
      )}

      {step.name === 'done' && (
        <div className="panel" style={stack} data-testid="setup-done">
          <h2 style={{ margin: 0 }}>{step.result.outcome === 'session-only' ? 'Connected for this session' : 'Connected'}</h2>
          <p className="notice" data-testid="setup-outcome" data-outcome={step.result.outcome} style={step.result.outcome === 'encrypted' ? undefined : warnStyle}>
            {step.result.message}
          </p>
          <div className="row" style={{ gap: 8 }}>
            <button type="button" className="btn" onClick={() => navigate({ name: 'fleet' })}>
              Go to the fleet
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => navigate({ name: 'keys' })}>
              Manage API keys
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Review(props: { review: KeyReview; busy: boolean; storeWeakly: boolean; setStoreWeakly: (v: boolean) => void; onSave: () => void; onBack: () => void }) {
  const { review: r, busy } = props;
  return (
    <div className="panel" style={stack} data-testid="setup-review">
      {r.trimmedNotice && <p className="notice">{r.trimmedNotice}</p>}
      <dl className="facts">
        <dt>Organization</dt>
        <dd data-testid="review-organization">{r.organization}</dd>
        <dt>Key</dt>
        <dd>
          <span className="mono" data-testid="review-mask">
            {r.mask}
          </span>{' '}
          “{r.keyName}” ({r.keyId})
        </dd>
        <dt>Environment</dt>
        <dd>
          {r.environment === 'live' ? 'Production' : r.environment === 'test' ? 'Test mode' : 'Development'} · {r.baseUrl}
        </dd>
        <dt>Permissions</dt>
        <dd className="mono">{r.scopes.join(', ') || 'none'}</dd>
      </dl>
      <div>
        <h3 style={{ margin: '0 0 4px' }}>With this key the app can</h3>
        <ul data-testid="review-can" style={{ margin: 0 }}>
          {r.can.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </div>
      {r.cannot.length > 0 && (
        <div>
          <h3 style={{ margin: '0 0 4px' }}>It cannot</h3>
          <ul data-testid="review-cannot" style={{ margin: 0 }}>
            {r.cannot.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
      {r.warnings.map((w) => (
        <p key={w} className="notice" style={warnStyle} data-testid="review-warning">
          ⚠ {w}
        </p>
      ))}
      <div className="notice" data-testid="review-storage" data-secure={r.storage.secure}>
        <strong>How the key will be kept: </strong>
        {r.storage.secure ? `encrypted by the system keychain (${r.storage.backend}).` : r.storage.message}
        {r.storage.canStoreWeakly && (
          <label className="choice" style={{ marginTop: 8, display: 'flex', gap: 8 }}>
            <input type="checkbox" checked={props.storeWeakly} onChange={(e) => props.setStoreWeakly(e.target.checked)} disabled={busy} />
            Store it anyway in plaintext: unencrypted in this app's settings file, where anyone who can read that file could use the key
          </label>
        )}
      </div>
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn" onClick={props.onSave} disabled={busy}>
          {r.storage.secure ? 'Save key' : props.storeWeakly ? 'Save key in plaintext' : 'Use key for this session'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={props.onBack} disabled={busy}>
          Back
        </button>
      </div>
    </div>
  );
}
