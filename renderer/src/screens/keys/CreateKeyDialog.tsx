import { useState, type FormEvent } from 'react';
import { KEY_PRESETS, KNOWN_SCOPES, SCOPE_INFO, type CreatedKeyResult, type KnownScope } from '../../../../electron/core/contract/keys-types';
import { useApp } from '../../store/context';
import { Dialog, inputStyle, stack } from '../setup/ui';

/** Name, a least-privilege preset, then individual scopes; the result goes straight to the show-once dialog. */
export function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (r: CreatedKeyResult) => void }) {
  const { api, actions } = useApp();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<KnownScope[]>([...(KEY_PRESETS[0]?.scopes ?? [])]);
  const [busy, setBusy] = useState(false);
  const preset = KEY_PRESETS.find((p) => p.scopes.length === scopes.length && p.scopes.every((s) => scopes.includes(s)));

  const toggle = (scope: KnownScope) => setScopes((cur) => (cur.includes(scope) ? cur.filter((s) => s !== scope) : [...cur, scope]));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const created = await actions.attempt(() => api.call('keys.create', { name: name.trim(), scopes }));
    setBusy(false);
    if (created) onCreated(created);
  };

  return (
    <Dialog title="Create an API key" onClose={onClose} busy={busy} testId="create-key-dialog">
      <form style={stack} onSubmit={(e) => void submit(e)}>
        <label htmlFor="new-key-name">Name (what will use it, e.g. “Production Server”)</label>
        <input id="new-key-name" type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} style={inputStyle} />
        <fieldset style={{ border: 0, padding: 0, margin: 0, ...stack }}>
          <legend>Start from a preset (least privilege)</legend>
          <div className="row" style={{ gap: 6, flexWrap: 'wrap' }}>
            {KEY_PRESETS.map((p) => (
              <button
                key={p.id}
                type="button"
                className={`chip${preset?.id === p.id ? ' chip-on' : ''}`}
                title={p.description}
                onClick={() => setScopes([...p.scopes])}
                aria-pressed={preset?.id === p.id}
              >
                {p.label}
              </button>
            ))}
          </div>
          {preset && <span className="muted">{preset.description}</span>}
        </fieldset>
        <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'grid', gap: 4 }}>
          <legend>Permissions</legend>
          {KNOWN_SCOPES.map((s) => (
            <label key={s} style={{ display: 'flex', gap: 8, alignItems: 'baseline' }}>
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />
              <span>
                <span className="mono">{s}</span> — {SCOPE_INFO[s].allows}
              </span>
            </label>
          ))}
        </fieldset>
        {scopes.includes('admin:*') && <p className="notice">An admin key can create and revoke every key of your organization. Give it only to what truly needs it.</p>}
        <div className="row" style={{ gap: 8 }}>
          <button type="submit" className="btn" disabled={busy || name.trim() === '' || scopes.length === 0}>
            Create key
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
