import { useMemo } from 'react';
import { useAppState } from './context';

/**
 * Printer names by id, in fleet order. Re-renders only when a printer is added, removed or renamed, not on
 * every status update (a farm sends hundreds a second), because the selector returns a string.
 */
export function usePrinterNames(): ReadonlyMap<string, string> {
  const key = useAppState((s) => s.order.map((id) => `${id}\u0000${s.printers[id]?.name ?? ''}`).join('\u0001'));
  return useMemo(() => new Map(key ? key.split('\u0001').map((pair) => pair.split('\u0000') as [string, string]) : []), [key]);
}
