import { useCan } from '../../store/use-can';
import type { HubConnectionState, HubStatusView } from '../../../../electron/core/contract/hub-types';
import { useApp, useAppState } from '../../store/context';
import { SignInPanel } from '../setup/SignInPanel';
import { useSignIn } from '../setup/use-sign-in';

const HUB_SCOPES = ['printers:write', 'jobs:write'];
import { CloudJobs } from './CloudJobs';
import { CloudPrinters } from './CloudPrinters';
import { useHubStatus } from './use-hub-status';

const STATE_LABEL: Record<HubConnectionState, string> = {
  not_linked: 'Not linked',
  stopped: 'Stopped',
  connecting: 'Connecting…',
  connected: 'Connected',
  offline: 'Offline',
  refused: 'Key refused',
  unlinked: 'Unlinked in the cloud',
};

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toLocaleString());

/**
 * This computer as a hub of the AutoPrintFarm cloud: where the connection stands and why, and which printers
 * the cloud may use. Linking uses the app's key (set up on the Keys screen); it never reaches this screen.
 */
export function CloudScreen() {
  const { api, actions } = useApp();
  const [status, setStatus] = useHubStatus();
  const order = useAppState((s) => s.order);
  const printers = useAppState((s) => s.printers);
  const run = (work: () => Promise<HubStatusView>) =>
    void actions.attempt(async () => {
      setStatus(await work());
    });
  const linked = status !== null && status.state !== 'not_linked';
  // Linking and signing in act for the farm's cloud account (admin); publishing is printer management.
  const admin = useCan('keys:manage');
  const managePrinters = useCan('fleet:manage');
  const [signIn] = useSignIn();
  // A hub acts with printers:write and jobs:write; a sign-in that left either unticked cannot link one.
  const missing = signIn?.state === 'signed-in' ? HUB_SCOPES.filter((s) => !signIn.scopes.includes(s)) : [];
  const published = new Map(status?.published.map((p) => [p.printerId, p.cloudPrinterId]) ?? []);

  return (
    <section className="screen" aria-labelledby="cloud-title">
      <header className="screen-head">
        <h1 id="cloud-title">Cloud</h1>
        {admin && (
          <div className="head-actions">
            {linked ? (
              <button type="button" className="btn btn-danger" onClick={() => run(() => api.call('hub.unlink'))}>
                Unlink this computer
              </button>
            ) : (
              <button type="button" className="btn" disabled={status === null || missing.length > 0} onClick={() => run(() => api.call('hub.link'))}>
                Link this computer as a hub
              </button>
            )}
          </div>
        )}
      </header>
      {admin && <SignInPanel />}
      {!linked && missing.length > 0 && (
        <p className="notice" data-testid="hub-needs-scopes">
          Linking a hub needs {missing.join(' and ')}, which this sign-in does not allow. Sign out and sign in again with them ticked, or use an API key that has them.
        </p>
      )}
      {status && (status.state === 'refused' || status.state === 'unlinked') && status.reason && (
        // The hub has stopped acting for the cloud and will not retry by itself: say why and where to fix it.
        <div className="notice notice-row notice-warn" role="alert" data-testid="hub-stopped">
          <span>
            <strong>{status.state === 'refused' ? 'The hub stopped: ' : 'Unlinked in the cloud: '}</strong>
            {status.reason}
          </span>
          {admin &&
            (status.state === 'refused' ? (
              <a className="btn" href="#/keys">
                Open Keys
              </a>
            ) : (
              <button type="button" className="btn" onClick={() => run(() => api.call('hub.link'))}>
                Link again
              </button>
            ))}
        </div>
      )}
      {status && (
        <dl className="card" style={{ cursor: 'default' }} data-testid="hub-status">
          <dt className="muted">Connection</dt>
          <dd data-testid="hub-state">
            {STATE_LABEL[status.state]}
            {status.reason && status.state !== 'refused' && status.state !== 'unlinked' && <span className="muted"> — {status.reason}</span>}
          </dd>
          <dt className="muted">Hub</dt>
          <dd>{status.name ?? status.hubId}</dd>
          {linked && (
            <>
              <dt className="muted">Last heard from the cloud</dt>
              <dd>{when(status.lastSyncAt)}</dd>
              <dt className="muted">Waiting to be sent</dt>
              <dd data-testid="hub-outbox">{status.outboxDepth} job event(s)</dd>
            </>
          )}
        </dl>
      )}
      {linked && (
        <ul aria-label="Printers published to the cloud" style={{ listStyle: 'none', padding: 0 }}>
          {order.map((id) => {
            const printer = printers[id];
            if (!printer) return null;
            return (
              <li key={id} className="row" style={{ justifyContent: 'space-between', padding: '6px 0' }}>
                <span>{printer.name}</span>
                <label className="row">
                  <input
                    type="checkbox"
                    role="switch"
                    checked={published.has(id)}
                    disabled={!managePrinters}
                    onChange={(e) => run(() => api.call('hub.publish', { printerId: id, published: e.target.checked }))}
                  />
                  Published
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {linked && status && status.passedOffers.length > 0 && (
        <section aria-labelledby="passed-offers-title">
          <h2 id="passed-offers-title">Cloud jobs left for other hubs</h2>
          <ul style={{ listStyle: 'none', padding: 0 }} data-testid="hub-passed-offers">
            {status.passedOffers.map((p) => (
              <li key={p.jobId} data-testid="hub-passed-offer" data-cloud-job-id={p.jobId} style={{ padding: '4px 0' }}>
                <strong>{p.fileName}</strong> <span className="muted">({when(p.at)})</span> — {p.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {linked && <CloudJobs />}
      {/* Asked again when who acts for the app changes (a sign-in, a new key) or a printer is published. */}
      <CloudPrinters refreshKey={`${signIn?.state ?? ''}:${status?.published.length ?? 0}:${status?.state ?? ''}`} />
    </section>
  );
}
