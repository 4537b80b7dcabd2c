import type { ManagedKey } from '../../../../electron/core/contract/keys-types';
import { formatDate } from '../setup/ui';

const cell = { padding: '8px 10px', borderBottom: '1px solid var(--border)', textAlign: 'left' as const, verticalAlign: 'top' as const };

export function KeyTable({ keys, onRoll, onRevoke }: { keys: ManagedKey[]; onRoll: (k: ManagedKey) => void; onRevoke: (k: ManagedKey) => void }) {
  return (
    <div className="panel" style={{ overflowX: 'auto', padding: 0 }}>
      <table style={{ width: '100%', borderCollapse: 'collapse' }} data-testid="key-table">
        <thead>
          <tr>
            {['Name', 'Key', 'Permissions', 'Created', 'Last used', 'Requests', 'Age', ''].map((h) => (
              <th key={h} style={cell} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-testid="key-row" data-key-name={k.name} data-app-key={k.isAppKey}>
              <td style={cell}>
                <div>{k.name}</div>
                <div className="row" style={{ gap: 4, flexWrap: 'wrap', marginTop: 4 }}>
                  {k.isAppKey && <span className="pill pill-idle">This app</span>}
                  {k.isAdminSessionKey && <span className="pill pill-printing">Admin key of this session</span>}
                  {k.expiresAt !== null && <span className="pill pill-paused">Rolled: works until {formatDate(k.expiresAt)}</span>}
                  {k.unused && (
                    <span className="pill pill-paused" title="Consider revoking keys nobody uses">
                      Unused 30+ days
                    </span>
                  )}
                  {k.rotationDue && (
                    <span className="pill pill-error" title="Rotate keys every 90 days">
                      Rotation due
                    </span>
                  )}
                </div>
              </td>
              <td style={cell} className="mono">
                {k.mask ?? '—'}
              </td>
              <td style={cell} className="mono">
                {k.scopes.join(', ')}
              </td>
              <td style={cell}>{formatDate(k.createdAt)}</td>
              <td style={cell}>{formatDate(k.lastUsedAt)}</td>
              <td style={cell}>{k.requestCount ?? '—'}</td>
              <td style={cell}>{k.ageDays === 1 ? '1 day' : `${k.ageDays} days`}</td>
              <td style={cell}>
                <div className="row" style={{ gap: 6 }}>
                  <button type="button" className="btn btn-quiet" onClick={() => onRoll(k)} disabled={k.expiresAt !== null} aria-label={`Roll ${k.name}`}>
                    Roll
                  </button>
                  <button type="button" className="btn btn-danger" onClick={() => onRevoke(k)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
