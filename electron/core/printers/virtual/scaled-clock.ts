import type { Clock } from '../../ports/clock';

/**
 * A clock that runs `factor` times faster than `base`, so a virtual printer heats and moves quickly in
 * demos and end-to-end tests while its timing stays proportionally realistic.
 */
export function createScaledClock(base: Clock, factor: number): Clock {
  if (!(factor > 0)) throw new RangeError('The clock speed factor must be a positive number.');
  const origin = base.now();
  return {
    now: () => origin + (base.now() - origin) * factor,
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / factor),
    setInterval: (fn, ms) => base.setInterval(fn, ms / factor),
  };
}
