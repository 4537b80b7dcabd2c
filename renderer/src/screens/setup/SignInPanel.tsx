import type { SignInView } from '../../../../electron/core/contract/sign-in-types';
import { useApp } from '../../store/context';
import { stack, warnStyle } from './ui';
import { useSignIn } from './use-sign-in';

/**
 * The loopback redirect of a browser sign-in reaches the computer the app runs on. The desktop window and a
 * browser on that same computer can use it; a browser elsewhere on the LAN signs in with a code instead.
 */
function browserCanSignIn(): boolean {
  if (window.apf) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(window.location.hostname);
}

/** "Sign in with AutoPrintFarm", beside pasting an API key: state, who, and the one action that fits. */
export function SignInPanel() {
  const { api, actions } = useApp();
  const [view, setView] = useSignIn();
  const run = (method: 'signIn.browser' | 'signIn.device' | 'signIn.cancel' | 'signIn.signOut') =>
    void actions.attempt(async () => {
      const next = await api.call(method);
      setView(next);
      // The desktop opens the system browser itself; a browser tab opens the page next to this one.
      if (method === 'signIn.browser' && next.state === 'browser' && !window.apf) window.open(next.authorizeUrl, '_blank', 'noopener');
    });
  if (!view) return null;
  return (
    <div className="panel" style={stack} data-testid="sign-in" data-state={view.state}>
      <Body view={view} run={run} />
      {view.problem && (
        <p className="notice" role="alert" style={warnStyle} data-testid="sign-in-problem">
          {view.problem}
        </p>
      )}
    </div>
  );
}

function Body({ view, run }: { view: SignInView; run: (m: 'signIn.browser' | 'signIn.device' | 'signIn.cancel' | 'signIn.signOut') => void }) {
  switch (view.state) {
    case 'signed-out':
      return (
        <>
          <p style={{ margin: 0 }}>
            Sign in with your AutoPrintFarm account instead of pasting a key. The app asks only to read and run your printers and jobs; you can untick any of it.
          </p>
          <div className="row" style={{ gap: 8 }}>
            {browserCanSignIn() && (
              <button type="button" className="btn" onClick={() => run('signIn.browser')}>
                Sign in with AutoPrintFarm
              </button>
            )}
            <button type="button" className={browserCanSignIn() ? 'btn btn-quiet' : 'btn'} onClick={() => run('signIn.device')}>
              Sign in with a code
            </button>
          </div>
          {!browserCanSignIn() && <p className="muted">This farm PC is reached over the network, so you sign in with a code on this or another device.</p>}
        </>
      );
    case 'browser':
      return (
        <>
          <p style={{ margin: 0 }} role="status">
            Finish signing in in your browser. If no page opened,{' '}
            <a href={view.authorizeUrl} target="_blank" rel="noopener noreferrer">
              open the sign-in page
            </a>
            .
          </p>
          <div className="row">
            <button type="button" className="btn btn-quiet" onClick={() => run('signIn.cancel')}>
              Cancel
            </button>
          </div>
        </>
      );
    case 'device':
      return (
        <>
          <p style={{ margin: 0 }} role="status">
            On your phone or another computer, open{' '}
            <a href={view.verificationUriComplete ?? view.verificationUri} target="_blank" rel="noopener noreferrer">
              {view.verificationUri}
            </a>{' '}
            and enter this code:
          </p>
          <p className="mono" style={{ fontSize: 28, letterSpacing: 4, margin: 0 }} data-testid="sign-in-code">
            {view.userCode}
          </p>
          <p className="muted" style={{ margin: 0 }}>
            The code works until {new Date(view.expiresAt).toLocaleTimeString()}. This page updates by itself once you have approved.
          </p>
          <div className="row">
            <button type="button" className="btn btn-quiet" onClick={() => run('signIn.cancel')}>
              Cancel
            </button>
          </div>
        </>
      );
    case 'signed-in':
      return (
        <>
          <p style={{ margin: 0 }} data-testid="signed-in-as">
            Signed in as <strong>{view.who}</strong>
            {view.organization ? ` (${view.organization})` : ''}. Allowed: {view.scopes.join(', ')}.
          </p>
          {view.kept === 'session-only' && (
            <p className="notice" style={warnStyle}>
              This computer has no keyring, so the sign-in lasts only while the app runs.
            </p>
          )}
          <div className="row">
            <button type="button" className="btn btn-quiet" onClick={() => run('signIn.signOut')}>
              Sign out
            </button>
          </div>
        </>
      );
  }
}
