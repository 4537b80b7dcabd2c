import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { closeServer, listen, parseMultipart, readBody, sendJson } from './http-util';
import { SimPrinter } from './sim-printer';
import { wsText } from '../../electron/core/rpc/ws-text';

/**
 * An OctoPrint stand-in following its REST and push docs: X-Api-Key on every request, /api/version,
 * /api/printer (409 while no printer is connected), /api/job (GET, start/pause/cancel), /api/printer/
 * tool|bed|printhead|command, /api/files/local upload with print=true, passive /api/login, /api/connection
 * (GET the state and options; POST connect with the saved port and baud rate, or disconnect), and the SockJS
 * WebSocket transport at /sockjs/<server>/<session>/websocket sending `current` and `event` messages, and
 * GET /api/settings with its `webcam` section (stream and snapshot URLs from `opts.webcam`; disabled without one).
 */
export interface OctoPrintPeer {
  url: string;
  printer: SimPrinter;
  /** Commands received on /api/printer/* in order, as JSON. */
  commands: unknown[];
  /** Commands received on POST /api/connection in order, as JSON. */
  connectionCommands: Record<string, unknown>[];
  /** Whether OctoPrint itself is connected to its (simulated) serial printer. */
  setPrinterConnected(connected: boolean): void;
  dropConnections(): void;
  /** Holds every HTTP request without answering (OctoPrint froze but its host still accepts connections). */
  stall(on: boolean): void;
  /** Stops reading every live socket: push-socket pings go unanswered, as with a host that lost power. */
  freeze(): void;
  /**
   * Revokes the API key in OctoPrint's settings: as real OctoPrint 1.10 does, open push sockets stay up and
   * every REST call answers 403 "Invalid API key".
   */
  revokeKey(): void;
  close(): Promise<void>;
}

export async function startOctoPrintPeer(
  opts: {
    apiKey?: string;
    printer?: SimPrinter;
    push?: boolean;
    /** OctoPrint's feature.enforceReallyUniversalFilenames: uploads are stored under a sanitised name. */
    universalFilenames?: boolean;
    /** The webcam OctoPrint's settings announce; relative URLs are resolved by the client against OctoPrint's address. */
    webcam?: { streamUrl: string; snapshotUrl: string };
  } = {},
): Promise<OctoPrintPeer> {
  const printer = opts.printer ?? new SimPrinter('OctoPrint sim');
  let apiKey = opts.apiKey ?? null;
  let printerConnected = true;
  /** Between a connect command and the printer answering, OctoPrint reports "Connecting". */
  let connecting = false;
  const commands: unknown[] = [];
  const connectionCommands: Record<string, unknown>[] = [];
  const sessions = new Set<string>();
  const sockets = new Set<Socket>();
  let stalling = false;
  const held = new Set<ServerResponse>();

  const flags = () => ({
    operational: printerConnected,
    printing: printer.job?.state === 'printing',
    paused: printer.job?.state === 'paused',
    pausing: false,
    cancelling: false,
    error: false,
    ready: printerConnected && !printer.job,
    closedOrError: !printerConnected && !connecting,
    sdReady: false,
  });
  const stateText = () =>
    connecting ? 'Connecting' : !printerConnected ? 'Offline' : printer.job?.state === 'printing' ? 'Printing' : printer.job?.state === 'paused' ? 'Paused' : 'Operational';
  const temps = () => ({ tool0: { ...printer.hotend, offset: 0 }, bed: { ...printer.bed, offset: 0 } });
  const job = () => ({
    job: { file: { name: printer.job?.file ?? null, path: printer.job?.file ?? null, origin: 'local' }, estimatedPrintTime: null },
    progress: { completion: printer.job ? printer.job.progress * 100 : null, printTimeLeft: printer.job ? Math.round((1 - printer.job.progress) * 600) : null },
  });

  const server: Server = createServer(async (req, res) => {
    if (stalling) {
      held.add(res);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (apiKey && req.headers['x-api-key'] !== apiKey) {
      // OctoPrint's answer to a key it does not know (a wrong or revoked one), and to none at all.
      return sendJson(res, 403, { error: req.headers['x-api-key'] ? 'Invalid API key' : "You don't have the permission to access the requested resource." });
    }
    const body = req.method === 'POST' && !String(req.headers['content-type']).startsWith('multipart') ? await readBody(req) : null;
    const json = body?.length ? (JSON.parse(body.toString()) as Record<string, unknown>) : {};
    const path = url.pathname;
    const needPrinter = () => {
      if (printerConnected) return false;
      sendJson(res, 409, { error: 'Printer is not operational' });
      return true;
    };
    try {
      if (req.method === 'GET' && path === '/api/settings') {
        const webcam = opts.webcam;
        return sendJson(res, 200, {
          api: { allowCrossOrigin: false },
          feature: {},
          webcam: {
            webcamEnabled: webcam !== undefined,
            timelapseEnabled: true,
            streamUrl: webcam?.streamUrl ?? '',
            snapshotUrl: webcam?.snapshotUrl ?? '',
            streamRatio: '4:3',
            flipH: false,
            flipV: false,
            rotate90: false,
          },
        });
      }
      if (req.method === 'GET' && path === '/api/version') return sendJson(res, 200, { api: '0.1', server: '1.10.3', text: 'OctoPrint 1.10.3' });
      if (req.method === 'POST' && path === '/api/login') {
        if (json.passive !== true) return sendJson(res, 400, {});
        const session = `s${sessions.size + 1}${Math.random().toString(36).slice(2, 8)}`;
        sessions.add(session);
        return sendJson(res, 200, { name: '_api', session });
      }
      if (req.method === 'GET' && path === '/api/printer') {
        if (needPrinter()) return;
        return sendJson(res, 200, { temperature: temps(), state: { text: stateText(), flags: flags() } });
      }
      if (req.method === 'GET' && path === '/api/connection') {
        return sendJson(res, 200, {
          current: printerConnected
            ? { state: stateText(), port: '/dev/ttyACM0', baudrate: 115200, printerProfile: '_default' }
            : { state: stateText(), port: null, baudrate: null, printerProfile: '_default' },
          options: {
            ports: ['/dev/ttyACM0'],
            baudrates: [250000, 115200],
            printerProfiles: [{ id: '_default', name: 'Default' }],
            portPreference: '/dev/ttyACM0',
            baudratePreference: 115200,
            printerProfilePreference: '_default',
            autoconnect: false,
          },
        });
      }
      if (req.method === 'POST' && path === '/api/connection') {
        connectionCommands.push(json);
        if (json.command === 'connect') {
          // OctoPrint answers at once and opens the port in the background: "Connecting", then "Operational".
          connecting = true;
          printer.emit('change');
          setImmediate(() => {
            connecting = false;
            printerConnected = true;
            printer.emit('change');
          });
        } else if (json.command === 'disconnect') {
          printerConnected = false;
          printer.emit('change');
        } else if (json.command !== 'fake_ack') return sendJson(res, 400, { error: 'Unknown command' });
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && path === '/api/job') return sendJson(res, 200, { ...job(), state: stateText() });
      if (req.method === 'POST' && path.startsWith('/api/printer/')) {
        if (needPrinter()) return;
        commands.push({ path, ...json });
        if (path === '/api/printer/tool' && json.command === 'target') printer.runGcode(`M104 S${(json.targets as { tool0: number }).tool0}`);
        else if (path === '/api/printer/bed' && json.command === 'target') printer.runGcode(`M140 S${json.target as number}`);
        else if (path === '/api/printer/printhead' && json.command === 'home') printer.runGcode('G28');
        else if (path === '/api/printer/command') printer.runGcode((json.commands as string[]).join('\n'));
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && path === '/api/job') {
        if (needPrinter()) return;
        if (!printer.job && json.command !== 'start') return sendJson(res, 409, { error: 'Printer is not printing' });
        if (json.command === 'cancel') printer.cancel();
        else if (json.command === 'pause' && json.action === 'pause') printer.pause();
        else if (json.command === 'pause' && json.action === 'resume') printer.resume();
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && path === '/api/files/local') {
        const parts = parseMultipart(await readBody(req), req.headers['content-type']);
        const file = parts.find((p) => p.name === 'file' && p.fileName);
        if (!file) return sendJson(res, 400, { error: 'No file included' });
        // Like OctoPrint's sanitize: ASCII only, spaces to underscores, no characters outside a safe set.
        const stored = opts.universalFilenames
          ? file
              .fileName!.normalize('NFKD')
              .replace(/[^\x20-\x7e]/g, '')
              .replace(/\s+/g, '_')
              .replace(/[^\w.\-()[\]]/g, '')
          : file.fileName!;
        printer.files.set(stored, file.data);
        const print = parts.find((p) => p.name === 'print')?.data.toString() === 'true';
        if (print) {
          if (needPrinter()) return;
          printer.start(stored);
        }
        return sendJson(res, 201, { done: true, files: { local: { name: stored, origin: 'local', path: stored } } });
      }
      sendJson(res, 404, { error: 'Not found' });
    } catch (err) {
      sendJson(res, 409, { error: (err as Error).message });
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (opts.push === false || !/^\/sockjs\/\d{3}\/[^/]+\/websocket$/.test(new URL(req.url ?? '/', 'http://x').pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  function serve(ws: WebSocket): void {
    const frame = (...messages: unknown[]) => ws.send(`a${JSON.stringify(messages.map((m) => JSON.stringify(m)))}`);
    let authed = false;
    let lastFile: string | null = printer.job?.file ?? null;
    let lastLen = printer.gcode.length;
    const current = () => {
      const logs = printer.gcode.slice(lastLen).map((l) => `Send: ${l}`);
      lastLen = printer.gcode.length;
      frame({ current: { state: { text: stateText(), flags: flags() }, ...job(), temps: [{ time: Math.floor(Date.now() / 1000), ...temps() }], logs, messages: [] } });
    };
    const onChange = () => {
      if (!authed || ws.readyState !== ws.OPEN) return;
      if (lastFile && !printer.job && printer.lastOutcome?.file === lastFile) {
        const o = printer.lastOutcome;
        const type = o.outcome === 'complete' ? 'PrintDone' : o.outcome === 'cancelled' ? 'PrintCancelled' : 'PrintFailed';
        frame({ event: { type, payload: { name: o.file, path: o.file, origin: 'local', ...(o.outcome === 'error' ? { reason: 'error', error: o.message } : {}) } } });
      }
      lastFile = printer.job?.file ?? null;
      current();
    };
    printer.on('change', onChange);
    ws.on('close', () => printer.off('change', onChange));
    ws.send('o');
    ws.on('message', (data) => {
      let messages: string[];
      try {
        messages = JSON.parse(wsText(data)) as string[];
      } catch {
        return ws.close(1002, 'Broken framing');
      }
      for (const m of messages) {
        const msg = JSON.parse(m) as { auth?: string };
        if (msg.auth) {
          const session = msg.auth.split(':')[1] ?? '';
          if (!sessions.has(session)) return ws.send('c[3000,"Unauthorized"]');
          authed = true;
          frame({ connected: { version: '1.10.3', apikey: null } });
          current();
        }
      }
    });
  }

  const port = await listen(server);
  return {
    revokeKey: () => {
      apiKey = `revoked-${Math.random()}`;
    },
    url: `http://127.0.0.1:${port}`,
    printer,
    commands,
    connectionCommands,
    setPrinterConnected: (c) => {
      printerConnected = c;
      printer.emit('change');
    },
    stall: (on) => {
      stalling = on;
      if (!on) {
        for (const r of held) r.destroy();
        held.clear();
      }
    },
    freeze: () => {
      for (const s of sockets) s.pause();
    },
    dropConnections: () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      printer.stopAuto();
      for (const r of held) r.destroy();
      for (const c of wss.clients) c.terminate();
      wss.close();
      await closeServer(server);
    },
  };
}
