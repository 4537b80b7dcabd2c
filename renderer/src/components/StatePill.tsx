import type { PrinterState } from '../../../electron/core/printers/model';
import { stateLabel } from './format';

export function StatePill({ state }: { state: PrinterState }) {
  return (
    <span className={`pill pill-${state.kind}`} data-testid="printer-state">
      {stateLabel(state)}
    </span>
  );
}
