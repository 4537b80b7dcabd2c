import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { testFrames } from './test-frames';

/**
 * The camera of a Bambu P1/A1 printer in LAN mode: TLS (the printer's self-signed certificate), an 80-byte
 * hello (LE u32 0x40, 0x3000, 0, 0; `bblp` and the access code NUL-padded to 32 bytes each), then JPEG frames,
 * each after a 16-byte header whose first LE u32 is the JPEG's length. A wrong hello is answered as the
 * printer does: the connection is closed and nothing is sent.
 */
export interface BambuCameraPeer {
  port: number;
  /** Hellos refused (wrong user or access code, or malformed). */
  refused: number;
  /** Connections that passed the hello and are streaming now. */
  openStreams(): number;
  close(): Promise<void>;
}

export async function startBambuCameraPeer(opts: { cert: Buffer; key: Buffer; accessCode: string; fps?: number; port?: number }): Promise<BambuCameraPeer> {
  const frames = await testFrames();
  const fps = opts.fps ?? 5;
  const streaming = new Set<TLSSocket>();
  const all = new Set<TLSSocket>();
  let refused = 0;
  let counter = 0;

  const expectedHello = () => {
    const p = Buffer.alloc(80);
    p.writeUInt32LE(0x40, 0);
    p.writeUInt32LE(0x3000, 4);
    Buffer.from('bblp').copy(p, 16);
    Buffer.from(opts.accessCode).copy(p, 48);
    return p;
  };

  const server: Server = createServer({ cert: opts.cert, key: opts.key }, (socket) => {
    all.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      all.delete(socket);
      streaming.delete(socket);
    });
    let hello = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      hello = Buffer.concat([hello, chunk]);
      if (hello.length < 80) return;
      socket.off('data', onData);
      if (!hello.subarray(0, 80).equals(expectedHello())) {
        refused++;
        return void socket.destroy();
      }
      streaming.add(socket);
      const send = () => {
        const frame = frames[counter++ % frames.length]!;
        const header = Buffer.alloc(16);
        header.writeUInt32LE(frame.length, 0);
        header.writeUInt32LE(0, 4);
        header.writeUInt32LE(1, 8);
        socket.write(Buffer.concat([header, frame]));
      };
      send();
      const timer = setInterval(send, 1000 / fps);
      socket.on('close', () => clearInterval(timer));
    };
    socket.on('data', onData);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    get refused() {
      return refused;
    },
    openStreams: () => streaming.size,
    close: async () => {
      for (const s of all) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
