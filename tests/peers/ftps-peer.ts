import { createServer as createTlsServer, type TLSSocket, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';

/**
 * A minimal implicit-TLS FTP server (TLS from the first byte, as Bambu printers serve on port 990) with
 * PROT P data connections over EPSV/PASV and STOR. Enough for an upload test; not a general FTP server.
 * Why not vsftpd: it authenticates only system accounts through PAM, and the Bambu login is the fixed user
 * `bblp`, so using it would mean creating a system account or a PAM service under /etc at test time.
 */
export interface FtpsPeer {
  port: number;
  files: Map<string, Buffer>;
  logins: string[];
  close(): Promise<void>;
}

export async function startFtpsPeer(opts: { cert: Buffer; key: Buffer; user: string; password: string; onStored?: (name: string, data: Buffer) => void }): Promise<FtpsPeer> {
  const files = new Map<string, Buffer>();
  const logins: string[] = [];
  const servers = new Set<TlsServer>();
  const sockets = new Set<TLSSocket>();

  const control = createTlsServer({ cert: opts.cert, key: opts.key }, (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    const reply = (line: string) => sock.write(`${line}\r\n`);
    let user = '';
    let authed = false;
    let data: { server: TlsServer; socket: Promise<TLSSocket> } | null = null;
    let buffer = '';
    reply('220 Stand-in printer FTPS ready');

    const openData = async (): Promise<number> => {
      const server = createTlsServer({ cert: opts.cert, key: opts.key });
      servers.add(server);
      const socket = new Promise<TLSSocket>((resolve) => server.once('secureConnection', (s) => (sockets.add(s), resolve(s))));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      data = { server, socket };
      return (server.address() as AddressInfo).port;
    };

    const handle = async (line: string) => {
      const [cmd = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (cmd.toUpperCase()) {
        case 'USER':
          user = arg;
          return reply('331 Password required');
        case 'PASS':
          logins.push(user);
          if (user === opts.user && arg === opts.password) {
            authed = true;
            return reply('230 Logged in');
          }
          return reply('530 Login incorrect');
        case 'QUIT':
          reply('221 Bye');
          return sock.end();
        case 'FEAT':
          return sock.write('211-Features:\r\n PBSZ\r\n PROT\r\n EPSV\r\n UTF8\r\n211 End\r\n');
      }
      if (!authed) return reply('530 Please log in');
      switch (cmd.toUpperCase()) {
        case 'PBSZ':
        case 'PROT':
        case 'TYPE':
        case 'STRU':
        case 'OPTS':
          return reply('200 OK');
        case 'SYST':
          return reply('215 UNIX Type: L8');
        case 'PWD':
          return reply('257 "/"');
        case 'CWD':
          return reply('250 OK');
        case 'EPSV':
          return reply(`229 Entering Extended Passive Mode (|||${await openData()}|)`);
        case 'PASV': {
          const port = await openData();
          return reply(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255})`);
        }
        case 'STOR': {
          if (!data) return reply('425 Use EPSV first');
          const { server, socket } = data;
          data = null;
          reply('150 Opening data connection');
          const s = await socket;
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          await new Promise<void>((r) => s.once('end', () => r()));
          s.end();
          server.close();
          servers.delete(server);
          const name = arg.replace(/^\/+/, '');
          const body = Buffer.concat(chunks);
          files.set(name, body);
          opts.onStored?.(name, body);
          return reply('226 Transfer complete');
        }
        default:
          return reply('502 Command not implemented');
      }
    };

    let queue = Promise.resolve();
    sock.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        queue = queue.then(async () => void (await handle(line))).catch(() => void reply('451 Local error'));
      }
    });
  });
  servers.add(control);
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', () => r()));
  return {
    port: (control.address() as AddressInfo).port,
    files,
    logins,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([...servers].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
