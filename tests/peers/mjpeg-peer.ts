import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen } from './http-util';
import { testFrames } from './test-frames';

/**
 * A webcam stand-in speaking what mjpg-streamer and ustreamer serve (crowsnest's backends): `?action=stream`
 * (also `/stream`) answers multipart/x-mixed-replace with one JPEG part per frame, `?action=snapshot` (also
 * `/snapshot`) one JPEG. With `auth`, a request without the right basic credentials gets 401 and
 * `WWW-Authenticate`, as mjpg-streamer's `-c user:pass` does. The frames are real JPEGs with a visible counter.
 */
export interface MjpegPeer {
  origin: string;
  streamUrl: string;
  snapshotUrl: string;
  /** Stream connections open now (the relay must hold one per camera, however many viewers). */
  openStreams(): number;
  /** Stream connections ever opened, and snapshot requests served. */
  streamsOpened: number;
  snapshots: number;
  /** Authorization headers received that were refused (to check credentials go out as headers, right or wrong). */
  refused: number;
  close(): Promise<void>;
}

export interface MjpegPeerOptions {
  fps?: number;
  auth?: { username: string; password: string };
  /** Leave Content-Length out of each part, as some IP cameras do. */
  noContentLength?: boolean;
  /** mjpg-streamer declares `boundary=boundarydonotcross`; ustreamer declares `boundary=boundarydonotcross` too. */
  boundary?: string;
}

export async function startMjpegPeer(opts: MjpegPeerOptions = {}): Promise<MjpegPeer> {
  const frames = await testFrames();
  const fps = opts.fps ?? 10;
  const boundary = opts.boundary ?? 'boundarydonotcross';
  const open = new Set<ServerResponse>();
  let counter = 0;
  const state = { streamsOpened: 0, snapshots: 0, refused: 0 };
  const next = () => frames[counter++ % frames.length]!;

  const authorized = (req: IncomingMessage) => {
    if (!opts.auth) return true;
    const expected = `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`;
    if (req.headers.authorization === expected) return true;
    state.refused++;
    return false;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const action = url.searchParams.get('action') ?? url.pathname.replace(/^\//, '');
    if (!authorized(req)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="MJPG-Streamer"', 'content-type': 'text/plain' });
      return res.end('401: Not Authenticated!');
    }
    if (action === 'snapshot') {
      state.snapshots++;
      const frame = next();
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': frame.length, 'cache-control': 'no-store' });
      return res.end(frame);
    }
    if (action !== 'stream') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('404: Not Found!');
    }
    state.streamsOpened++;
    open.add(res);
    res.writeHead(200, { 'content-type': `multipart/x-mixed-replace;boundary=${boundary}`, 'cache-control': 'no-store', connection: 'close' });
    const send = () => {
      const frame = next();
      const headers = ['Content-Type: image/jpeg', ...(opts.noContentLength ? [] : [`Content-Length: ${frame.length}`]), `X-Timestamp: ${Date.now() / 1000}`];
      res.write(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`);
      res.write(frame);
      res.write('\r\n');
    };
    send();
    const timer = setInterval(send, 1000 / fps);
    res.on('close', () => {
      clearInterval(timer);
      open.delete(res);
    });
  });
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    streamUrl: `${origin}/?action=stream`,
    snapshotUrl: `${origin}/?action=snapshot`,
    openStreams: () => open.size,
    get streamsOpened() {
      return state.streamsOpened;
    },
    get snapshots() {
      return state.snapshots;
    },
    get refused() {
      return state.refused;
    },
    close: async () => {
      for (const res of open) res.destroy();
      await closeServer(server);
    },
  };
}
