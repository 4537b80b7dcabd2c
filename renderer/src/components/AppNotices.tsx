import { useApp, useAppState } from '../store/context';

/** Notices about the app itself (a damaged settings file set aside at start), above every screen until dismissed. */
export function AppNotices() {
  const notices = useAppState((s) => s.notices);
  const { api, actions } = useApp();
  if (!notices.length) return null;
  return (
    <div className="app-notices">
      {notices.map((notice) => (
        <div key={notice.id} className="notice notice-row notice-warn" role="alert" data-testid="app-notice">
          <span>
            <strong>{notice.title}.</strong> {notice.message}
          </span>
          <button type="button" className="btn btn-quiet" onClick={() => void actions.attempt(() => api.call('app.dismissNotice', { id: notice.id }))}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
