import type { SpoolView } from '../../../../electron/core/contract/materials-types';
import { gramsText, spoolLabel } from './spool-list';

export function Swatch({ hex, size = 14 }: { hex: string; size?: number }) {
  return <span aria-hidden style={{ display: 'inline-block', width: size, height: size, borderRadius: '50%', background: hex, border: '1px solid var(--border)', flex: 'none' }} />;
}

/** Remaining filament as a bar (share of a full spool) with its grams. */
export function RemainingBar({ spool }: { spool: SpoolView }) {
  const share = Math.max(0, Math.min(1, spool.remainingG / spool.netWeightG));
  const low = share < 0.1;
  return (
    <span className="row" style={{ gap: 8, alignItems: 'center' }}>
      <span
        role="meter"
        aria-label={`${spoolLabel(spool)} remaining`}
        aria-valuemin={0}
        aria-valuemax={spool.netWeightG}
        aria-valuenow={spool.remainingG}
        style={{ display: 'inline-block', width: 90, height: 8, borderRadius: 4, background: 'var(--border)', overflow: 'hidden' }}
      >
        <span style={{ display: 'block', width: `${share * 100}%`, height: '100%', background: low ? 'var(--danger)' : 'var(--ok)' }} />
      </span>
      <span data-testid="spool-remaining">{gramsText(spool.remainingG)}</span>
    </span>
  );
}

/** One line for a printer's loaded spool (fleet card, printer page). */
export function LoadedSpoolLine({ spool }: { spool: SpoolView | null }) {
  if (!spool) return <span className="muted">No spool loaded</span>;
  return (
    <span className="row" style={{ gap: 6, alignItems: 'center' }} data-testid="loaded-spool">
      <Swatch hex={spool.colourHex} />
      <span>{spoolLabel(spool)}</span>
      <span className="muted">· {gramsText(spool.remainingG)} left</span>
    </span>
  );
}
