export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface HeldStopSignals {
  /** Settles with the first Ctrl-C (SIGINT) or service-manager stop (SIGTERM). */
  readonly stopped: Promise<StopSignal>;
  /** Lets the signals act by default again; call once the command has shut down cleanly. */
  release(): void;
}

/**
 * Catches the stop signals and keeps catching them until `release()`.
 *
 * Why `on` and not `once`: conf's atomically (via when-exit) also hooks these signals, runs its own cleanup and
 * then re-sends the signal to the process; proper-lockfile's signal-exit, seeing itself as the last listener,
 * re-sends it once more. If our listener was a `once` that already fired, that signal finds no listener of ours
 * and kills the process mid-shutdown: a print not cancelled, a printer left hot, a socat left running.
 */
export function holdStopSignals(signals: readonly StopSignal[] = ['SIGINT', 'SIGTERM']): HeldStopSignals {
  let listener: (signal: StopSignal) => void = () => {};
  const stopped = new Promise<StopSignal>((resolve) => (listener = resolve));
  for (const signal of signals) process.on(signal, listener);
  return {
    stopped,
    release: () => {
      for (const signal of signals) process.off(signal, listener);
    },
  };
}
