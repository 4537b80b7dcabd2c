import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DigestAlgorithm } from '../../electron/core/printers/lan-common/digest';
import { closeServer, listen, readBody, sendJson } from './http-util';
import { SimPrinter } from './sim-printer';

/** One storage the stand-in offers, as GET /api/v1/storage lists it. */
export interface PeerStorage {
  /** The path segment: `usb` on a MK4/XL/MINI, `local` for Prusa Link on a Raspberry Pi. */
  name: string;
  readOnly?: boolean;
  available?: boolean;
}

/**
 * A PrusaLink stand-in following the v1 OpenAPI description: GET /api/v1/status, /api/v1/job and
 * /api/v1/storage (`storage_list`; uploads only to an available, writable one),
 * PUT /api/v1/files/<storage>/<path> with Print-After-Upload, PUT /api/v1/job/<id>/pause|resume,
 * DELETE /api/v1/job/<id>. Auth: HTTP digest (RFC 7616) for user `maker`, or X-Api-Key.
 *
 * The digest challenge is the real PrusaLink's (Prusa-Link on a Pi, 0.8.x; the MK4's firmware alike): realm
 * "Administrator", `qop="auth"`, an opaque, and `algorithm="MD5-sess"`, which a client computing plain MD5
 * fails. Other algorithms can be asked for to test a client against each. Like a careful server it refuses a
 * request it has seen (same client nonce and count: a replay) and marks an expired nonce `stale=true`.
 */
export interface PrusaLinkPeer {
  url: string;
  printer: SimPrinter;
  /** Rotates the nonce, so the next request meets a stale challenge. */
  rotateNonce(): void;
  dropConnections(): void;
  refuse(on: boolean): void;
  /** Holds every request without answering (the printer froze but its TCP stack still accepts). */
  stall(on: boolean): void;
  /** The storage each upload went to, in order. */
  uploads: string[];
  close(): Promise<void>;
}

export async function startPrusaLinkPeer(
  opts: {
    password?: string;
    apiKey?: string;
    /** The digest user (`maker` on every Prusa printer unless changed). */
    username?: string;
    /** The challenge's algorithm; real PrusaLink sends MD5-sess. */
    algorithm?: DigestAlgorithm;
    /**
     * How long the printer stays in the last print's FINISHED/STOPPED state, not ready to print (real PrusaLink:
     * about 11 s). Meanwhile a start answers 409 "Printer is not in state to print", an upload with
     * Print-After-Upload stores the file and answers the same 409. Default 0.
     */
    finishedHoldMs?: number;
    storage?: string;
    storages?: PeerStorage[];
    printer?: SimPrinter;
  } = {},
): Promise<PrusaLinkPeer> {
  const printer = opts.printer ?? new SimPrinter('Prusa sim');
  const realm = 'Administrator';
  const username = opts.username ?? 'maker';
  const algorithm = opts.algorithm ?? 'MD5-sess';
  const opaque = randomBytes(8).toString('hex');
  let nonce = randomBytes(8).toString('hex');
  /** Requests seen with the current nonce, as `cnonce:nc`: the same one twice is a replay. */
  let seen = new Set<string>();
  const digestOk = (header: string | undefined, method: string): 'ok' | 'stale' | 'bad' => {
    const p = authorizationFields(header);
    if (!p || opts.password === undefined) return 'bad';
    if (p.get('username') !== username || p.get('realm') !== realm || p.get('opaque') !== opaque || p.get('algorithm')?.toLowerCase() !== algorithm.toLowerCase()) return 'bad';
    const qop = p.get('qop') === 'auth' ? 'auth' : null;
    const want = expectedResponse(algorithm, username, realm, opts.password, p.get('nonce') ?? '', method, p.get('uri') ?? '', p.get('nc') ?? '', p.get('cnonce') ?? '');
    if (p.get('response') !== want || !qop) return 'bad';
    // Right password, old nonce: stale, so the client answers the new nonce without asking its user.
    if (p.get('nonce') !== nonce) return 'stale';
    const request = `${p.get('cnonce')}:${p.get('nc')}`;
    if (seen.has(request)) return 'bad';
    seen.add(request);
    return 'ok';
  };
  let jobId = 100;
  let refusing = false;
  const sockets = new Set<Socket>();
  const storages: PeerStorage[] = opts.storages ?? [{ name: opts.storage ?? 'usb' }];
  const writable = storages.filter((st) => st.available !== false && !st.readOnly).map((st) => st.name);
  const storage = writable[0] ?? storages[0]?.name ?? 'usb';
  const uploads: string[] = [];
  let notReadyUntil = 0;
  let lastEnd = printer.lastOutcome;
  printer.on('change', () => {
    if (!printer.job && printer.lastOutcome !== lastEnd) notReadyUntil = Date.now() + (opts.finishedHoldMs ?? 0);
    lastEnd = printer.lastOutcome;
  });
  const notReady = () => !printer.job && Date.now() < notReadyUntil;
  const NOT_READY = { title: 'Conflict', text: 'Printer is not in state to print' };
  let stalling = false;
  const held = new Set<ServerResponse>();

  const state = () => {
    if (printer.job) return printer.job.state === 'paused' ? 'PAUSED' : 'PRINTING';
    if (printer.lastOutcome?.outcome === 'complete') return 'FINISHED';
    if (printer.lastOutcome?.outcome === 'cancelled') return 'STOPPED';
    return 'IDLE';
  };

  const server: Server = createServer(async (req, res) => {
    if (refusing) return req.socket.destroy();
    if (stalling) {
      held.add(res);
      return;
    }
    const apiKeyOk = opts.apiKey !== undefined && req.headers['x-api-key'] === opts.apiKey;
    const digest = apiKeyOk ? 'ok' : digestOk(req.headers.authorization, req.method ?? 'GET');
    if (digest !== 'ok') {
      await readBody(req).catch(() => undefined);
      const challenge = `Digest realm="${realm}", qop="auth", algorithm="${algorithm}", nonce="${nonce}", opaque="${opaque}"${digest === 'stale' ? ', stale=true' : ''}`;
      return sendJson(res, 401, { title: 'Unauthorized' }, { 'www-authenticate': challenge });
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    if (req.method === 'GET' && path === '/api/v1/status') {
      return sendJson(res, 200, {
        printer: {
          state: state(),
          temp_nozzle: printer.hotend.actual,
          target_nozzle: printer.hotend.target,
          temp_bed: printer.bed.actual,
          target_bed: printer.bed.target,
          axis_z: printer.position.z,
          flow: 100,
          speed: 100,
        },
        ...(printer.job
          ? {
              job: {
                id: jobId,
                progress: Math.round(printer.job.progress * 100),
                time_remaining: Math.round((1 - printer.job.progress) * 600),
                time_printing: printer.job.elapsedS,
              },
            }
          : {}),
        storage: { path: `/${storage}/`, name: storage, read_only: false },
      });
    }
    if (req.method === 'GET' && path === '/api/v1/job') {
      if (!printer.job) return res.writeHead(204).end();
      return sendJson(res, 200, {
        id: jobId,
        state: state(),
        progress: printer.job.progress * 100,
        file: { name: printer.job.file.toUpperCase().slice(0, 8) + '.GCO', display_name: printer.job.file, path: `/${storage}` },
      });
    }
    if (req.method === 'GET' && path === '/api/v1/storage') {
      return sendJson(res, 200, {
        storage_list: storages.map((st) => ({
          name: st.name === 'local' ? 'PrusaLink gcodes' : st.name.toUpperCase(),
          type: st.name === 'local' ? 'LOCAL' : 'USB',
          path: `/${st.name}`,
          available: st.available !== false,
          read_only: st.readOnly === true,
          ...(st.available !== false ? { free_space: 1_000_000_000, total_space: 8_000_000_000 } : {}),
        })),
      });
    }
    const target = /^\/api\/v1\/files\/([^/]+)\/(.+)$/.exec(path);
    if (req.method === 'PUT' && target && !writable.includes(target[1]!)) {
      await readBody(req);
      const known = storages.some((st) => st.name === target[1]);
      return known ? sendJson(res, 409, { title: 'Storage is read-only or not available' }) : sendJson(res, 404, { title: 'Not Found' });
    }
    // Real PrusaLink refuses these in a file name (prusa/link/web/lib/files.py: FORBIDDEN_CHARACTERS).
    if (req.method === 'PUT' && target && /[\\?"%¯°#ˇ]/.test(target[2]!)) {
      await readBody(req);
      return sendJson(res, 400, { title: 'Forbidden Characters', text: 'Forbidden characters in file name.' });
    }
    const upload = target && writable.includes(target[1]!) ? ([target[0], target[2]] as const) : null;
    if (req.method === 'PUT' && upload) {
      const body = await readBody(req);
      if (Number(req.headers['content-length']) !== body.length) return sendJson(res, 400, { title: 'Content-Length mismatch' });
      if (printer.job && req.headers['print-after-upload'] === '?1') return sendJson(res, 409, { title: 'Printer is busy' });
      printer.files.set(upload[1]!, body);
      uploads.push(target![1]!);
      const printAfter = req.headers['print-after-upload'] === '?1' || req.headers['print-after-upload'] === '1';
      if (printAfter && notReady()) return sendJson(res, 409, NOT_READY);
      if (printAfter) {
        jobId++;
        printer.start(upload[1]!);
      }
      return res.writeHead(201).end();
    }
    // POST /api/v1/files/<storage>/<path>: start printing a stored file (204), 409 when not ready or busy.
    if (req.method === 'POST' && upload) {
      if (!printer.files.has(upload[1]!)) return sendJson(res, 404, { title: 'Not Found' });
      if (printer.job || notReady()) return sendJson(res, 409, NOT_READY);
      jobId++;
      printer.start(upload[1]!);
      return res.writeHead(204).end();
    }
    const job = /^\/api\/v1\/job\/(\d+)(\/pause|\/resume)?$/.exec(path);
    if (job) {
      if (!printer.job || Number(job[1]) !== jobId) return sendJson(res, 409, { title: 'Not the current job' });
      if (req.method === 'PUT' && job[2] === '/pause') printer.pause();
      else if (req.method === 'PUT' && job[2] === '/resume') printer.resume();
      else if (req.method === 'DELETE' && !job[2]) printer.cancel();
      else return sendJson(res, 405, {});
      return res.writeHead(204).end();
    }
    sendJson(res, 404, { title: 'Not Found' });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    printer,
    rotateNonce: () => {
      nonce = randomBytes(8).toString('hex');
      seen = new Set();
    },
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    refuse: (on) => (refusing = on),
    stall: (on) => {
      stalling = on;
      if (!on) {
        for (const r of held) r.destroy();
        held.clear();
      }
    },
    uploads,
    close: async () => {
      printer.stopAuto();
      for (const r of held) r.destroy();
      await closeServer(server);
    },
  };
}

/**
 * The server's side of RFC 7616 (§3.4.1, §3.4.2), written apart from the app's client code on purpose: a
 * bug shared by both ends would pass every test.
 */
function expectedResponse(
  algorithm: DigestAlgorithm,
  user: string,
  realm: string,
  password: string,
  nonce: string,
  method: string,
  uri: string,
  nc: string,
  cnonce: string,
): string {
  const hash = (s: string) =>
    createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
      .update(s)
      .digest('hex');
  let a1 = hash(`${user}:${realm}:${password}`);
  if (algorithm.endsWith('-sess')) a1 = hash(`${a1}:${nonce}:${cnonce}`);
  return hash(`${a1}:${nonce}:${nc}:${cnonce}:auth:${hash(`${method}:${uri}`)}`);
}

function authorizationFields(header: string | undefined): Map<string, string> | null {
  if (!header?.startsWith('Digest ')) return null;
  const fields = new Map<string, string>();
  for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) fields.set(m[1]!, m[2] ?? m[3]!);
  return fields;
}
