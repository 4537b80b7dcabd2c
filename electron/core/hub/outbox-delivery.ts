import type { HubLink } from './hub-link';
import type { HubOutbox } from './outbox';

/** Entries sent and not yet acknowledged at once: enough to keep a link busy, few enough to resend cheaply. */
const IN_FLIGHT = 64;

/**
 * Delivers the outbox over the link: from the oldest entry each time the cloud welcomes the hub (everything
 * unacknowledged is sent again: the cloud applies each `event_id` once), new entries as they are added, and
 * never more than a window ahead of the acknowledgements. An entry leaves the outbox only on `job_event_ack`.
 */
export class OutboxDelivery {
  /** The last seq sent on the current connection; 0 after a (re)connect, so delivery restarts from the oldest. */
  private sentUpTo = 0;
  private inFlight = 0;
  private readonly off: (() => void)[] = [];

  constructor(
    private readonly link: HubLink,
    private readonly outbox: HubOutbox,
  ) {
    this.off.push(
      link.events.on('state', (s) => {
        this.sentUpTo = 0;
        this.inFlight = 0;
        if (s.kind === 'connected') this.pump();
      }),
      link.events.on('message', (m) => {
        if (m.type !== 'job_event_ack' || typeof m.event_id !== 'string') return;
        if (this.outbox.ack(m.event_id)) this.inFlight = Math.max(0, this.inFlight - 1);
        this.pump();
      }),
    );
  }

  close(): void {
    for (const off of this.off.splice(0)) off();
  }

  /** Sends what the outbox holds beyond what is in flight, when connected (after entries were committed elsewhere). */
  pump(): void {
    if (this.link.state().kind !== 'connected') return;
    while (this.inFlight < IN_FLIGHT) {
      const batch = this.outbox.pending(IN_FLIGHT - this.inFlight, this.sentUpTo);
      if (batch.length === 0) return;
      for (const entry of batch) {
        if (!this.link.send(entry.message)) return;
        this.sentUpTo = entry.seq;
        this.inFlight++;
      }
    }
  }
}
