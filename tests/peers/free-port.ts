import { createServer, type AddressInfo } from 'node:net';

/** A loopback port free right now, for a peer program that must be told its port (mosquitto, proftpd). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
