import { useCallback, useEffect, useState } from 'react';
import { ROLES, type AccessSession, type AuditEntry, type PairingOffer, type Role } from '../../../../electron/core/contract';
import { useApp, useAppState } from '../../store/context';
import { useCan } from '../../store/use-can';
import { pairingLink } from './pairing-link';
import { PairingQr } from './PairingQr';

const ROLE_TEXT: Record<Role, string> = {
  viewer: 'Viewer: sees everything, changes nothing',
  operator: 'Operator: controls printers and runs the queue',
  admin: 'Admin: also keys, cloud link, printers, settings and devices',
};

const when = (ms: number) => new Date(ms).toLocaleString();

/** "About this connection": who this session is and how it reaches the host (compare the fingerprint with the browser's). */
export function ConnectionPanel() {
  const whoami = useAppState((s) => s.whoami);
  if (!whoami) return null;
  const c = whoami.connection;
  return (
    <div className="panel" data-testid="connection-panel">
      <h2>About this connection</h2>
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd data-testid="my-role">
          {whoami.label} · {ROLE_TEXT[whoami.role]}
        </dd>
        <dt>Connection</dt>
        <dd>{c.transport === 'desktop' ? 'The desktop app’s own window' : c.transport === 'https' ? 'HTTPS (TLS)' : 'HTTP on this computer only (loopback)'}</dd>
        {c.fingerprint256 && (
          <>
            <dt>Certificate SHA-256</dt>
            <dd className="mono" data-testid="cert-fingerprint">
              {c.fingerprint256}
            </dd>
          </>
        )}
      </dl>
      {c.fingerprint256 && <p className="muted">Your browser shows the certificate’s SHA-256 fingerprint under the padlock; it must be this one.</p>}
    </div>
  );
}

/** Devices (browser sessions): pair one more, see who is connected, revoke. Admins only. */
export function DevicesPanel() {
  const { api, actions } = useApp();
  const [sessions, setSessions] = useState<AccessSession[]>([]);
  const [offer, setOffer] = useState<PairingOffer | null>(null);
  const [role, setRole] = useState<Role>('viewer');
  const [label, setLabel] = useState('');
  const reload = useCallback(() => void actions.attempt(async () => setSessions(await api.call('access.sessions'))), [api, actions]);
  useEffect(reload, [reload]);

  const pair = async () => {
    const made = await actions.attempt(() => api.call('access.pair', { role, label: label.trim() || `${role} device` }));
    if (made) setOffer(made);
  };
  const revoke = async (s: AccessSession) => {
    if (!window.confirm(`Sign out “${s.label}” (${s.address || 'unknown address'})? Its open pages stop at once.`)) return;
    const left = await actions.attempt(() => api.call('access.revoke', { id: s.id }));
    if (left) setSessions(left);
  };

  return (
    <div className="panel" data-testid="devices-panel">
      <h2>Devices</h2>
      <p className="muted">Each browser that may use this farm PC, with its role. Pair a phone, tablet or wall display with a one-time code.</p>
      <div className="row" style={{ gap: 8, flexWrap: 'wrap' }}>
        <label className="row">
          Name
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Wall display" maxLength={60} data-testid="pair-label" />
        </label>
        <label className="row">
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="pair-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_TEXT[r]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => void pair()} data-testid="pair-device">
          Pair a device
        </button>
      </div>
      {offer && (
        <div className="notice" data-testid="pairing-offer" style={{ marginTop: 12 }}>
          <p>
            On the new device, open{' '}
            <span className="mono" data-testid="pairing-url">
              {offer.urls[0]}
            </span>
            {offer.urls.length > 1 && <> (or {offer.urls.slice(1).join(', ')})</>}, check the certificate and type this code before {new Date(offer.expiresAt).toLocaleTimeString()}
            . It works once.
          </p>
          <div className="row" style={{ alignItems: 'center', gap: 24 }}>
            {pairingLink(offer) && <PairingQr link={pairingLink(offer)!} />}
            <div>
              <p className="muted">Scan with a phone, or type the code:</p>
              <p style={{ fontSize: 28, letterSpacing: 2 }} className="mono" data-testid="pairing-code">
                {offer.code}
              </p>
            </div>
          </div>
          {offer.fingerprint256 && (
            <p>
              Certificate SHA-256: <span className="mono">{offer.fingerprint256}</span>
            </p>
          )}
          <p className="muted">
            Role: {offer.role} · name: {offer.label}
          </p>
        </div>
      )}
      <table style={{ width: '100%', borderCollapse: 'collapse', marginTop: 12 }} data-testid="sessions-table">
        <thead>
          <tr>
            <th align="left">Device</th>
            <th align="left">Address</th>
            <th align="left">Role</th>
            <th align="left">Last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td title={s.userAgent}>
                {s.label}
                {s.current && <span className="muted"> (this browser)</span>}
                <div className="muted" style={{ fontSize: 12 }}>
                  {s.userAgent.slice(0, 80)}
                </div>
              </td>
              <td className="mono">{s.address}</td>
              <td>{s.role}</td>
              <td>{when(s.lastSeenAt)}</td>
              <td>
                <button type="button" className="btn btn-quiet" onClick={() => void revoke(s)} data-testid="revoke-session">
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="btn btn-quiet" onClick={reload} style={{ marginTop: 8 }}>
        Refresh
      </button>
    </div>
  );
}

/** The audit log of admin actions, newest first, and its CSV export. */
export function AuditPanel() {
  const { api, actions } = useApp();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const reload = useCallback(() => void actions.attempt(async () => setEntries(await api.call('access.audit', { limit: 100 }))), [api, actions]);
  useEffect(reload, [reload]);
  const exportCsv = async () => {
    const out = await actions.attempt(() => api.call('access.auditCsv'));
    if (out) download(out.fileName, out.csv);
  };
  return (
    <div className="panel" data-testid="audit-panel">
      <h2>Audit log</h2>
      <p className="muted">Every admin action: who, what (secrets left out), when and how it ended.</p>
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn btn-quiet" onClick={reload}>
          Refresh
        </button>
        <button type="button" className="btn" onClick={() => void exportCsv()} data-testid="audit-export">
          Export CSV
        </button>
      </div>
      <table style={{ width: '100%', borderCollapse: 'collapse', marginTop: 12 }} data-testid="audit-table">
        <thead>
          <tr>
            <th align="left">When</th>
            <th align="left">Who</th>
            <th align="left">What</th>
            <th align="left">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <td>{when(e.at)}</td>
              <td>{e.actor}</td>
              <td>
                <span className="mono">{e.method}</span> <span className="muted">{e.summary}</span>
              </td>
              <td>{e.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The admin-only part of Settings. */
export function AccessAdminPanels() {
  const can = useCan('access:manage');
  if (!can) return null;
  return (
    <>
      <DevicesPanel />
      <AuditPanel />
    </>
  );
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
