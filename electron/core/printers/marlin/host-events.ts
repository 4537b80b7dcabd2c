import type { FirmwareReport, MarlinResponse, ReportedPosition, TemperatureReport } from './responses';

export type HostState = { kind: 'closed' } | { kind: 'connecting' } | { kind: 'ready' } | { kind: 'halted'; message: string } | { kind: 'disconnected'; reason: string };

export type LineOrigin = 'user' | 'internal' | 'job';

export interface HostEvents {
  state: HostState;
  sent: { line: string; origin: LineOrigin | 'emergency' | 'hello' | 'nudge' | 'resend' };
  /** `for` is who sent the oldest command still waiting, the one this output most likely answers. */
  received: { line: string; response: MarlinResponse; for: LineOrigin | null };
  temperatures: TemperatureReport;
  position: ReportedPosition;
  firmware: { report: FirmwareReport; capabilities: Record<string, boolean> };
  action: { action: string; argument: string };
  /** Something worth telling the user that is not a line of traffic (timeouts, resends, resets). */
  notice: string;
}
