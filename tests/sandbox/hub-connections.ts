import type { CloudMessage } from './hub-protocol';

/** One hub's open socket, as the rest of the sandbox needs it. */
export interface HubLink {
  send(message: CloudMessage): void;
  close(code: number, reason: string): void;
}

/**
 * Which hubs are connected right now (greeted with hub_welcome) and how to reach them. In memory only:
 * a restart drops every socket, and each hub's reconnect attaches it again.
 */
export class HubConnections {
  private readonly links = new Map<string, HubLink>();

  /** Attaches a greeted hub; returns the link it replaces, which the caller closes. */
  attach(hubId: string, link: HubLink): HubLink | null {
    const previous = this.links.get(hubId) ?? null;
    this.links.set(hubId, link);
    return previous === link ? null : previous;
  }

  /** Detaches the hub only if `link` is still its current one (a superseded socket closing changes nothing). */
  detach(hubId: string, link: HubLink): boolean {
    if (this.links.get(hubId) !== link) return false;
    this.links.delete(hubId);
    return true;
  }

  isConnected(hubId: string): boolean {
    return this.links.has(hubId);
  }

  connected(): string[] {
    return [...this.links.keys()];
  }

  send(hubId: string, message: CloudMessage): boolean {
    const link = this.links.get(hubId);
    if (!link) return false;
    link.send(message);
    return true;
  }

  close(hubId: string, code: number, reason: string): void {
    this.links.get(hubId)?.close(code, reason);
  }

  closeAll(code: number, reason: string): void {
    for (const link of [...this.links.values()]) link.close(code, reason);
  }
}

/**
 * Messages decided inside a database transaction, sent only once it has committed: a rolled-back change
 * must never have told a hub anything.
 */
export class Outgoing {
  private readonly queue: { to: string | { allBut: string | null }; message: CloudMessage }[] = [];

  to(hubId: string, message: CloudMessage): void {
    this.queue.push({ to: hubId, message });
  }

  /** To every connected hub, except one (the claimant that already heard). */
  toAll(message: CloudMessage, except: string | null = null): void {
    this.queue.push({ to: { allBut: except }, message });
  }

  flush(connections: HubConnections): void {
    for (const { to, message } of this.queue.splice(0)) {
      if (typeof to === 'string') connections.send(to, message);
      else for (const hubId of connections.connected()) if (hubId !== to.allBut) connections.send(hubId, message);
    }
  }
}
