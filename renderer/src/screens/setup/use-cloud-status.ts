import { useEffect, useState } from 'react';
import type { CloudStatus } from '../../../../electron/core/contract/keys-types';
import { useApp, useAppState } from '../../store/context';

/** The cloud connection as the core reports it (masks only), kept fresh by the `keys.status` event. */
export function useCloudStatus(): CloudStatus | null {
  const { api } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [status, setStatus] = useState<CloudStatus | null>(null);
  useEffect(() => api.on('keys.status', setStatus), [api]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    api.call('keys.status').then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, connected]);
  return status;
}
