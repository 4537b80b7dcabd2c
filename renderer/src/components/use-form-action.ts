import { useCallback, useState } from 'react';

/**
 * The state of a form that sends one request: busy while it runs, and the failure's message shown in the
 * form (next to what the user typed, which stays) instead of a toast that disappears.
 */
export function useFormAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
