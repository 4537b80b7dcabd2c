import type { PrinterView } from '../contract';
import type { PrinterState } from '../printers/model';
import type { FarmFleet } from './farm-ports';

/**
 * The fleet's printers as the farm last listed them. A printer removed from the fleet is still named in what is
 * recorded about it, and only a printer seen and then gone counts as removed (one missing at start may come back).
 */
export class PrinterRoster {
  private listed = new Map<string, string>();

  constructor(private readonly fleet: FarmFleet) {}

  /** Every printer's name, removed ones included as they were last listed. */
  names(): Map<string, string> {
    return new Map([...this.listed, ...this.fleet.list().map((p) => [p.id, p.name] as const)]);
  }

  nameOf(printerId: string): string {
    return this.names().get(printerId) ?? printerId;
  }

  /** A removed printer's name as last listed. */
  listedName(printerId: string): string | undefined {
    return this.listed.get(printerId);
  }

  find(printerId: string): PrinterView | undefined {
    return this.fleet.list().find((p) => p.id === printerId);
  }

  stateOf(printerId: string): PrinterState | null {
    return this.find(printerId)?.status.state ?? null;
  }

  /** The printers listed last time that are not among `present`. */
  missingFrom(present: ReadonlySet<string>): string[] {
    return [...this.listed.keys()].filter((id) => !present.has(id));
  }

  remember(printers: readonly PrinterView[]): void {
    this.listed = new Map(printers.map((p) => [p.id, p.name]));
  }
}
