import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { closeServer, listen, parseMultipart, readBody, sendJson } from './http-util';
import { SIM_LAYERS, SimPrinter, simLayer } from './sim-printer';
import { wsText } from '../../electron/core/rpc/ws-text';

/**
 * A Moonraker stand-in following its public API docs: JSON-RPC 2.0 on /websocket
 * (server.connection.identify, printer.objects.subscribe with notify_status_update deltas,
 * printer.gcode.script with notify_gcode_response, printer.print.start/pause/resume/cancel,
 * printer.emergency_stop), POST /server/files/upload, and GET /server/webcams/list (the webcams configured in
 * Mainsail/Fluidd or moonraker.conf, as `opts.webcams` says; none by default).
 *
 * Authorization as Moonraker documents it (docs/external_api/authorization.md, "Authorization and
 * Authentication", and server.md, "Identify Connection"), and as a real Moonraker with trusted clients off
 * behaves:
 * - a trusted client (the default when no key is set: Moonraker trusts the local network in its sample
 *   config) needs nothing;
 * - HTTP requests carry the key in `X-Api-Key`, or a oneshot token (`GET /access/oneshot_token`, single use,
 *   5 s) in `?token=`; otherwise 401 Unauthorized;
 * - the WebSocket upgrade is always accepted; the connection is authenticated by `X-Api-Key` on the upgrade,
 *   a oneshot `?token=`, or afterwards by `server.connection.identify` with `api_key` (or `access_token`).
 *   identify without them answers JSON-RPC error -32602 "Unauthorized", with a wrong key -32602
 *   "Invalid API Key"; any other method on an unauthenticated connection answers 401 "Unauthorized".
 */
export interface MoonrakerPeer {
  url: string;
  printer: SimPrinter;
  /** Identify calls seen, to check the client names itself. */
  identified: unknown[];
  /** Cuts every live connection, as a network drop would. */
  dropConnections(): void;
  /** Stops reading every live socket: pings go unanswered, as with a printer that lost power. */
  freeze(): void;
  /** Refuses new connections until `resume` (the printer is unreachable); live ones are left alone. */
  refuse(): void;
  resume(): void;
  close(): Promise<void>;
}

type Objects = Record<string, Record<string, unknown>>;

function snapshot(p: SimPrinter, klippyReady: boolean): Objects {
  const state = p.job?.state ?? (p.lastOutcome ? p.lastOutcome.outcome : 'standby');
  return {
    webhooks: { state: klippyReady ? 'ready' : 'shutdown', state_message: klippyReady ? 'Printer is ready' : 'Emergency stop' },
    print_stats: {
      state,
      filename: p.job?.file ?? p.lastOutcome?.file ?? '',
      print_duration: p.job?.elapsedS ?? 0,
      message: p.lastOutcome?.message ?? '',
      info: { current_layer: simLayer(p), total_layer: p.job ? SIM_LAYERS : null },
    },
    virtual_sdcard: { progress: p.job?.progress ?? 0 },
    extruder: { temperature: p.hotend.actual, target: p.hotend.target },
    heater_bed: { temperature: p.bed.actual, target: p.bed.target },
    toolhead: { position: [p.position.x, p.position.y, p.position.z, p.position.e], homed_axes: 'xyz' },
  };
}

function pick(all: Objects, wanted: Record<string, string[] | null>): Objects {
  const out: Objects = {};
  for (const [name, fields] of Object.entries(wanted)) {
    const obj = all[name];
    if (!obj) continue;
    out[name] = fields ? Object.fromEntries(fields.filter((f) => f in obj).map((f) => [f, obj[f]])) : { ...obj };
  }
  return out;
}

function diff(prev: Objects, next: Objects): Objects | null {
  const out: Objects = {};
  let any = false;
  for (const [name, fields] of Object.entries(next)) {
    for (const [k, v] of Object.entries(fields)) {
      if (JSON.stringify(prev[name]?.[k]) !== JSON.stringify(v)) {
        (out[name] ??= {})[k] = v;
        any = true;
      }
    }
  }
  return any ? out : null;
}

const ONESHOT_TOKEN_MS = 5000;

/** A webcam as Moonraker's `server.webcams.list` describes it (the fields a client reads). */
export interface MoonrakerWebcam {
  name: string;
  service?: string;
  enabled?: boolean;
  stream_url: string;
  snapshot_url: string;
}

export async function startMoonrakerPeer(opts: { apiKey?: string; printer?: SimPrinter; trustedClients?: boolean; webcams?: MoonrakerWebcam[] } = {}): Promise<MoonrakerPeer> {
  const printer = opts.printer ?? new SimPrinter('Moonraker sim');
  const trusted = opts.trustedClients ?? !opts.apiKey;
  let klippyReady = true;
  let refusing = false;
  const identified: unknown[] = [];
  const sockets = new Set<Socket>();
  const oneshotTokens = new Map<string, number>();
  const takeOneshot = (token: string | null): boolean => {
    if (!token) return false;
    const expires = oneshotTokens.get(token);
    oneshotTokens.delete(token);
    return expires !== undefined && expires > Date.now();
  };
  const authorized = (headers: Record<string, string | string[] | undefined>, url: URL) =>
    trusted || (opts.apiKey !== undefined && headers['x-api-key'] === opts.apiKey) || takeOneshot(url.searchParams.get('token'));

  const server: Server = createServer(async (req, res) => {
    if (refusing) return req.socket.destroy();
    const url = new URL(req.url ?? '/', 'http://x');
    if (!authorized(req.headers, url)) return sendJson(res, 401, { error: { code: 401, message: 'Unauthorized' } });
    if (req.method === 'GET' && url.pathname === '/access/oneshot_token') {
      const token = randomBytes(20).toString('base64url').toUpperCase();
      oneshotTokens.set(token, Date.now() + ONESHOT_TOKEN_MS);
      return sendJson(res, 200, { result: token });
    }
    if (req.method === 'POST' && url.pathname === '/server/files/upload') {
      const parts = parseMultipart(await readBody(req), req.headers['content-type']);
      const file = parts.find((p) => p.name === 'file' && p.fileName);
      if (!file) return sendJson(res, 400, { error: { code: 400, message: 'No file' } });
      printer.files.set(file.fileName!, file.data);
      const startNow = parts.find((p) => p.name === 'print')?.data.toString() === 'true';
      if (startNow) printer.start(file.fileName!);
      return sendJson(res, 201, { item: { path: file.fileName, root: 'gcodes', size: file.data.length }, action: 'create_file', print_started: startNow, print_queued: false });
    }
    if (req.method === 'GET' && url.pathname === '/server/webcams/list') {
      const webcams = (opts.webcams ?? []).map((w, i) => ({
        name: w.name,
        location: 'printer',
        service: w.service ?? 'mjpegstreamer-adaptive',
        enabled: w.enabled ?? true,
        icon: 'mdiWebcam',
        target_fps: 15,
        target_fps_idle: 5,
        stream_url: w.stream_url,
        snapshot_url: w.snapshot_url,
        flip_horizontal: false,
        flip_vertical: false,
        rotation: 0,
        aspect_ratio: '4:3',
        extra_data: {},
        source: 'database',
        uid: `0000000${i}-cam0-4000-8000-000000000000`,
      }));
      return sendJson(res, 200, { result: { webcams } });
    }
    if (req.method === 'GET' && url.pathname === '/server/info')
      return sendJson(res, 200, { result: { klippy_connected: true, klippy_state: klippyReady ? 'ready' : 'shutdown' } });
    sendJson(res, 404, { error: { code: 404, message: 'Not Found' } });
  });
  server.on('connection', (s) => {
    if (refusing) return s.destroy();
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (refusing || url.pathname !== '/websocket') return socket.destroy();
    // Accepted either way: an unauthenticated connection may still identify with a key.
    const authenticated = authorized(req.headers, url);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, authenticated));
  });

  function serve(ws: WebSocket, authenticatedAtOpen: boolean): void {
    let authenticated = authenticatedAtOpen;
    let subscription: Record<string, string[] | null> | null = null;
    let sent: Objects = {};
    const notify = (method: string, params: unknown[]) => ws.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
    const onChange = () => {
      if (!subscription || ws.readyState !== ws.OPEN) return;
      const next = pick(snapshot(printer, klippyReady), subscription);
      const delta = diff(sent, next);
      sent = next;
      if (delta) notify('notify_status_update', [delta, Date.now() / 1000]);
    };
    printer.on('change', onChange);
    ws.on('close', () => printer.off('change', onChange));
    ws.on('message', (data) => {
      let msg: { id?: number; method?: string; params?: Record<string, unknown> };
      try {
        msg = JSON.parse(wsText(data));
      } catch {
        return;
      }
      const reply = (result: unknown) => ws.send(JSON.stringify({ jsonrpc: '2.0', result, id: msg.id }));
      const error = (code: number, message: string) => ws.send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: msg.id }));
      const params = msg.params ?? {};
      if (!authenticated && msg.method !== 'server.connection.identify') return error(401, 'Unauthorized');
      try {
        switch (msg.method) {
          case 'server.connection.identify':
            identified.push(params);
            if (!authenticated) {
              if (typeof params.api_key === 'string') {
                if (params.api_key !== opts.apiKey) return error(-32602, 'Invalid API Key');
                authenticated = true;
              } else return error(-32602, 'Unauthorized');
            }
            return reply({ connection_id: 1 });
          case 'printer.objects.subscribe': {
            subscription = (params.objects ?? {}) as Record<string, string[] | null>;
            sent = pick(snapshot(printer, klippyReady), subscription);
            return reply({ eventtime: Date.now() / 1000, status: sent });
          }
          case 'printer.gcode.script': {
            if (!klippyReady) return error(503, 'Klippy Host not connected');
            const responses = printer.runGcode(String(params.script ?? ''));
            for (const line of responses) notify('notify_gcode_response', [line]);
            return reply('ok');
          }
          case 'printer.print.start':
            printer.start(String(params.filename));
            return reply('ok');
          case 'printer.print.pause':
            printer.pause();
            return reply('ok');
          case 'printer.print.resume':
            printer.resume();
            return reply('ok');
          case 'printer.print.cancel':
            printer.cancel();
            return reply('ok');
          case 'printer.emergency_stop':
            klippyReady = false;
            printer.hotend.target = 0;
            printer.bed.target = 0;
            printer.fail('Emergency stop');
            notify('notify_klippy_shutdown', []);
            onChange();
            return reply('ok');
          default:
            return error(-32601, `Method not found: ${msg.method}`);
        }
      } catch (err) {
        return error(400, (err as Error).message);
      }
    });
  }

  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    printer,
    identified,
    dropConnections: () => {
      for (const c of wss.clients) c.terminate();
    },
    freeze: () => {
      for (const s of sockets) s.pause();
    },
    refuse: () => {
      refusing = true;
    },
    resume: () => {
      refusing = false;
    },
    close: async () => {
      printer.stopAuto();
      for (const c of wss.clients) c.terminate();
      wss.close();
      await closeServer(server);
    },
  };
}
