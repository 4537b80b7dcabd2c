import { useEffect, useState } from 'react';
import type { HubStatusView } from '../../../../electron/core/contract/hub-types';
import { useApp, useAppState } from '../../store/context';

/** The hub as the core reports it, kept fresh by the `hub.status` event (sent on every change). */
export function useHubStatus(): [HubStatusView | null, (s: HubStatusView) => void] {
  const { api } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [status, setStatus] = useState<HubStatusView | null>(null);
  useEffect(() => api.on('hub.status', setStatus), [api]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    api.call('hub.status').then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, connected]);
  return [status, setStatus];
}
