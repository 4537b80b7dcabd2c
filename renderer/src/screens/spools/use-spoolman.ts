import { useEffect, useState } from 'react';
import type { SpoolmanStatus } from '../../../../electron/core/contract/spoolman-types';
import { useApp, useAppState } from '../../store/context';

/** The link to Spoolman, loaded once per connection and kept current from `spoolman.status`. */
export function useSpoolmanStatus(): SpoolmanStatus | null {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [status, setStatus] = useState<SpoolmanStatus | null>(null);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    let heard = false;
    const off = api.on('spoolman.status', (s) => {
      heard = true;
      setStatus(s);
    });
    void actions.attempt(async () => {
      const s = await api.call('spoolman.status');
      // An event that came while this loaded is newer.
      if (live && !heard) setStatus(s);
    });
    return () => {
      live = false;
      off();
    };
  }, [api, connected, actions]);
  return status;
}

/** What a spool's label QR code holds: Spoolman's own link for its spools (its apps scan it), else this app's page of it. */
export function spoolQrText(spool: { id: string; spoolman: { id: number } | null }, appUrl: string): string {
  return spool.spoolman ? `WEB+SPOOLMAN:S-${spool.spoolman.id}` : `${appUrl}#/spools/${encodeURIComponent(spool.id)}`;
}
