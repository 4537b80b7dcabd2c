import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CameraView } from '../../../../electron/core/contract';
import { useApp } from '../../store/context';

/**
 * The cameras of one printer (or of all, without `printerId`), read again when the fleet changes: a printer
 * just added announces its webcams, a removed one takes its cameras along. Null until the first answer.
 */
export function useCameras(printerId?: string) {
  const { api } = useApp();
  const [cameras, setCameras] = useState<CameraView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setCameras(await api.call('cameras.list', printerId ? { printerId } : {}));
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [api, printerId]);
  useEffect(() => {
    void reload();
    return api.on('printers.changed', () => void reload());
  }, [api, reload]);
  return { cameras, error, reload };
}

/** Each printer's first camera that streams: what a fleet card or a wall tile shows at 1 fps. */
export function useFirstCameraByPrinter(): ReadonlyMap<string, CameraView> {
  const { cameras } = useCameras();
  return useMemo(() => {
    const first = new Map<string, CameraView>();
    for (const c of cameras ?? []) if (c.streamPath && !first.has(c.printerId)) first.set(c.printerId, c);
    return first;
  }, [cameras]);
}
