import { CAPABILITIES, type PrinterView } from '../core/contract';
import type { Dispatch } from '../core/rpc/dispatch';

const ALL = { capabilities: new Set(CAPABILITIES) };

/**
 * The tray's farm-wide actions, made of the contract's own per-printer methods (so they pass the same
 * validation and driver checks as a click in the window). Each returns how many printers it reached.
 */
export async function pauseAllPrints(dispatch: Dispatch): Promise<number> {
  const targets = (await listPrinters(dispatch)).filter((p) => p.status.state.kind === 'printing' && !p.status.state.phase);
  const results = await Promise.all(targets.map((p) => dispatch('printers.pause', { printerId: p.id }, ALL)));
  return results.filter((r) => r.ok).length;
}

/** M112 (or the protocol's own stop) to every connected printer that has one, printing or not: it is the panic button. */
export async function emergencyStopAll(dispatch: Dispatch): Promise<number> {
  const targets = (await listPrinters(dispatch)).filter((p) => p.capabilities.emergencyStop && p.status.state.kind !== 'offline' && p.status.state.kind !== 'connecting');
  const results = await Promise.all(targets.map((p) => dispatch('printers.emergencyStop', { printerId: p.id }, ALL)));
  return results.filter((r) => r.ok).length;
}

async function listPrinters(dispatch: Dispatch): Promise<PrinterView[]> {
  const out = await dispatch('printers.list', undefined, ALL);
  return out.ok ? (out.result as PrinterView[]) : [];
}
