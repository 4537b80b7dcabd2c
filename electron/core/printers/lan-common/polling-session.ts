import { AppError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { LanSession } from './lan-driver';

/**
 * A session for protocols without a push channel: `poll` runs every `everyMs` (the next one is scheduled
 * only after the previous one finished, so a slow printer is never asked twice at once). The first failure
 * closes the session with that error as its reason.
 */
export function pollingSession(clock: Clock, everyMs: number, poll: () => Promise<void>): LanSession {
  let resolveClosed!: (reason: string | AppError) => void;
  const closed = new Promise<string | AppError>((r) => (resolveClosed = r));
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      await poll();
      if (!stopped) timer = clock.setTimeout(() => void tick(), everyMs);
    } catch (err) {
      stopped = true;
      resolveClosed(err instanceof AppError ? err : 'Polling failed.');
    }
  };
  let timer = clock.setTimeout(() => void tick(), everyMs);
  return {
    closed,
    close: () => {
      stopped = true;
      timer.cancel();
      resolveClosed('Closed by the app.');
    },
  };
}
