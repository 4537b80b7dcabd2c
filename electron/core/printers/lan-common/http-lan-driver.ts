import { HttpClient } from './http';
import { LanDriver, type LanDriverDeps } from './lan-driver';

/** A network driver that talks HTTP to one base URL (OctoPrint, Moonraker uploads, PrusaLink). */
export abstract class HttpLanDriver extends LanDriver {
  protected readonly http: HttpClient;

  constructor(deps: LanDriverDeps, baseUrl: string, requestTimeoutMs: number) {
    super(deps);
    this.http = new HttpClient(baseUrl, { label: deps.label, timeoutMs: requestTimeoutMs, clock: this.clock });
  }

  protected override async release(): Promise<void> {
    this.http.close();
  }
}
