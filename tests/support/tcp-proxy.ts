/**
 * A TCP proxy on loopback for network-failure tests: forwards every connection to a target port, and can cut
 * the network — every open connection reset at once and every new one reset as soon as it arrives — until it
 * is healed. The target can change while it runs (a server that came back on another port).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** Port to listen on (default 0: a free one). */
  port?: number;
}

export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private cutSince: number | null = null;
  private cutTotalMs = 0;
  private targetPort: number;
  private readonly targetHost: string;
  /** Connections accepted and forwarded, and connections refused while cut. */
  readonly counts = { forwarded: 0, refused: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
    opts: TcpProxyOptions,
  ) {
    this.targetPort = opts.targetPort;
    this.targetHost = opts.targetHost ?? '127.0.0.1';
    server.on('connection', (client) => this.onConnection(client));
  }

  static start(opts: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(new TcpProxy(server, typeof address === 'object' && address ? address.port : 0, opts));
      });
    });
  }

  get isCut(): boolean {
    return this.cutSince !== null;
  }

  /** Milliseconds the network has been cut in all, so far. */
  cutMs(): number {
    return this.cutTotalMs + (this.cutSince === null ? 0 : Date.now() - this.cutSince);
  }

  setTarget(port: number): void {
    this.targetPort = port;
  }

  /** Resets every open connection and refuses new ones until `heal`. */
  cut(): void {
    if (this.cutSince === null) this.cutSince = Date.now();
    for (const s of [...this.sockets]) reset(s);
    this.sockets.clear();
  }

  heal(): void {
    if (this.cutSince === null) return;
    this.cutTotalMs += Date.now() - this.cutSince;
    this.cutSince = null;
  }

  /** Open connections (each direction counted once). */
  openConnections(): number {
    return this.sockets.size / 2;
  }

  close(): Promise<void> {
    for (const s of [...this.sockets]) s.destroy();
    this.sockets.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(client: Socket): void {
    if (this.cutSince !== null) {
      this.counts.refused++;
      reset(client);
      return;
    }
    this.counts.forwarded++;
    const upstream = connect(this.targetPort, this.targetHost);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const end = () => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** Ends a connection with a TCP reset (as a dropped network looks to the peer), or destroys it if reset is not possible. */
function reset(s: Socket): void {
  if (typeof s.resetAndDestroy === 'function' && !s.destroyed && s.readyState !== 'opening') s.resetAndDestroy();
  else s.destroy();
}
