import { createServer, type TLSSocket } from 'node:tls';
import type { TestCert } from './certs';

/**
 * An impostor at a printer's port: completes the TLS handshake with its own certificate and keeps every byte a
 * client sends after it, so a test can show what a client would have handed over. `greeting` is sent first,
 * as an FTP server's 220 banner is (an FTP client sends its password only after it).
 */
export interface RecordingTlsServer {
  port: number;
  /** All plaintext received after handshakes, from every connection, in order. */
  received(): Buffer;
  /** How many handshakes completed on the server's side. */
  handshakes(): number;
  close(): Promise<void>;
}

export async function startRecordingTlsServer(cert: TestCert, opts: { greeting?: string } = {}): Promise<RecordingTlsServer> {
  const chunks: Buffer[] = [];
  const sockets = new Set<TLSSocket>();
  let handshakes = 0;
  const server = createServer({ cert: cert.cert, key: cert.key }, (socket) => {
    handshakes++;
    sockets.add(socket);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // Answer an FTP client's every command with "331 go on" / "230 in", so a careless client gets as far as its password.
      if (opts.greeting) socket.write(/^USER /.test(d.toString('latin1')) ? '331 Password required\r\n' : '230 Logged in\r\n');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (opts.greeting) socket.write(opts.greeting);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    received: () => Buffer.concat(chunks),
    handshakes: () => handshakes,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
