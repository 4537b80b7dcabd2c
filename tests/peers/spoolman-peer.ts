import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { SmFilament, SmSpool, SmVendor } from '../../electron/core/materials/spoolman/spoolman-api';
import { closeServer, readBody, sendJson } from './http-util';

/**
 * A Spoolman stand-in following its REST API v1 (Donkie/Spoolman `spoolman/api/v1/`, FastAPI + pydantic):
 * - `GET /api/v1/info`, `GET /api/v1/health`;
 * - `/api/v1/vendor`, `/api/v1/filament`, `/api/v1/spool`: GET list (spools: archived ones only with
 *   `allow_archived=true`), POST, GET/PATCH/DELETE by id;
 * - `PUT /api/v1/spool/{id}/use` with `use_weight` or `use_length` (not both), adding to `used_weight` unclamped;
 * - answers as Spoolman does: null fields left out, `remaining_weight` only when the spool or its filament states a
 *   weight, `registered` as ISO UTC with `Z`; 404 `{"message": "No spool with ID 5 found."}`; 400 `{"message"}` for
 *   its own checks; pydantic's 422 `{"detail": [{type, loc, msg, input}]}` for bad bodies and path ids; FastAPI's
 *   `{"detail": "Not Found"}` for unknown routes.
 * It can be stopped and started again on the same port with its data (an outage), and can apply a use and cut the
 * connection before answering (an answer lost on the way back).
 */
export interface SpoolmanPeer {
  url: string;
  readonly port: number;
  version: string;
  addVendor(v: { name: string }): SmVendor;
  addFilament(f: Partial<Omit<SmFilament, 'id' | 'vendor' | 'registered' | 'extra'>> & { density: number; diameter: number; vendor_id?: number }): SmFilament;
  addSpool(s: { filament_id: number; initial_weight?: number; used_weight?: number; remaining_weight?: number; price?: number; lot_nr?: string; archived?: boolean }): SmSpool;
  /** A spool as GET /spool/{id} would answer it (null once deleted). */
  spool(id: number): SmSpool | null;
  deleteSpool(id: number): void;
  /** Every PUT /spool/{id}/use received, in order (also those whose answer was lost). */
  readonly useCalls: { spoolId: number; body: Record<string, unknown> }[];
  /** Every request line received (method and path with query). */
  readonly requests: string[];
  /** The next use is applied, then the connection is destroyed without an answer. */
  loseNextUseAnswer(): void;
  /** Stops listening (connections refused) and keeps the data. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

interface VendorRow {
  id: number;
  registered: string;
  name: string;
  comment: string | null;
  empty_spool_weight: number | null;
  external_id: string | null;
}
interface FilamentRow {
  id: number;
  registered: string;
  name: string | null;
  vendor_id: number | null;
  material: string | null;
  price: number | null;
  density: number;
  diameter: number;
  weight: number | null;
  spool_weight: number | null;
  article_number: string | null;
  comment: string | null;
  color_hex: string | null;
  multi_color_hexes: string | null;
}
interface SpoolRow {
  id: number;
  registered: string;
  first_used: string | null;
  last_used: string | null;
  filament_id: number;
  price: number | null;
  initial_weight: number | null;
  spool_weight: number | null;
  used_weight: number;
  location: string | null;
  lot_nr: string | null;
  comment: string | null;
  archived: boolean;
}

type Issue = { type: string; loc: (string | number)[]; msg: string; input: unknown; ctx?: Record<string, unknown> };

/** Pydantic-style field checks: the subset of Spoolman's models the app sends. */
type Rule = { kind: 'float' | 'int' | 'str' | 'bool'; required?: boolean; nullable?: boolean; ge?: number; gt?: number; maxLength?: number };

function validate(body: unknown, rules: Record<string, Rule>): Issue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }];
  }
  const issues: Issue[] = [];
  const b = body as Record<string, unknown>;
  for (const [key, r] of Object.entries(rules)) {
    const loc = ['body', key];
    if (!(key in b)) {
      if (r.required) issues.push({ type: 'missing', loc, msg: 'Field required', input: body });
      continue;
    }
    const v = b[key];
    if (v === null) {
      if (!r.nullable)
        issues.push({
          type: `${r.kind}_type`,
          loc,
          msg: `Input should be a valid ${r.kind === 'float' ? 'number' : r.kind === 'int' ? 'integer' : r.kind === 'str' ? 'string' : 'boolean'}`,
          input: v,
        });
      continue;
    }
    if ((r.kind === 'float' || r.kind === 'int') && typeof v !== 'number') {
      issues.push({
        type: `${r.kind}_parsing`,
        loc,
        msg: `Input should be a valid ${r.kind === 'float' ? 'number' : 'integer'}, unable to parse string as ${r.kind === 'float' ? 'a number' : 'an integer'}`,
        input: v,
      });
      continue;
    }
    if (r.kind === 'int' && !Number.isInteger(v)) {
      issues.push({ type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input: v });
      continue;
    }
    if (r.kind === 'str' && typeof v !== 'string') {
      issues.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: v });
      continue;
    }
    if (r.kind === 'bool' && typeof v !== 'boolean') {
      issues.push({ type: 'bool_parsing', loc, msg: 'Input should be a valid boolean, unable to interpret input', input: v });
      continue;
    }
    if (typeof v === 'number' && r.ge !== undefined && v < r.ge)
      issues.push({ type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${r.ge}`, input: v, ctx: { ge: r.ge } });
    if (typeof v === 'number' && r.gt !== undefined && !(v > r.gt))
      issues.push({ type: 'greater_than', loc, msg: `Input should be greater than ${r.gt}`, input: v, ctx: { gt: r.gt } });
    if (typeof v === 'string' && r.maxLength !== undefined && v.length > r.maxLength) {
      issues.push({ type: 'string_too_long', loc, msg: `String should have at most ${r.maxLength} characters`, input: v, ctx: { max_length: r.maxLength } });
    }
  }
  return issues;
}

const SPOOL_RULES: Record<string, Rule> = {
  filament_id: { kind: 'int', required: true },
  price: { kind: 'float', nullable: true, ge: 0 },
  initial_weight: { kind: 'float', nullable: true, ge: 0 },
  spool_weight: { kind: 'float', nullable: true, ge: 0 },
  remaining_weight: { kind: 'float', nullable: true, ge: 0 },
  used_weight: { kind: 'float', nullable: true, ge: 0 },
  location: { kind: 'str', nullable: true, maxLength: 64 },
  lot_nr: { kind: 'str', nullable: true, maxLength: 64 },
  comment: { kind: 'str', nullable: true, maxLength: 1024 },
  archived: { kind: 'bool' },
};
const FILAMENT_RULES: Record<string, Rule> = {
  name: { kind: 'str', nullable: true, maxLength: 64 },
  vendor_id: { kind: 'int', nullable: true },
  material: { kind: 'str', nullable: true, maxLength: 64 },
  price: { kind: 'float', nullable: true, ge: 0 },
  density: { kind: 'float', required: true, gt: 0 },
  diameter: { kind: 'float', required: true, gt: 0 },
  weight: { kind: 'float', nullable: true, gt: 0 },
  spool_weight: { kind: 'float', nullable: true, ge: 0 },
  color_hex: { kind: 'str', nullable: true },
};
const VENDOR_RULES: Record<string, Rule> = { name: { kind: 'str', required: true, maxLength: 64 }, comment: { kind: 'str', nullable: true, maxLength: 1024 } };

const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Spoolman's `response_model_exclude_none`. */
const dropNulls = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
const lengthFromWeight = (weight: number, diameter: number, density: number) => ((weight / density) * 1000) / (Math.PI * (diameter / 2) ** 2);

export async function startSpoolmanPeer(opts: { version?: string; port?: number } = {}): Promise<SpoolmanPeer> {
  const vendors = new Map<number, VendorRow>();
  const filaments = new Map<number, FilamentRow>();
  const spools = new Map<number, SpoolRow>();
  const ids = { vendor: 0, filament: 0, spool: 0 };
  const useCalls: { spoolId: number; body: Record<string, unknown> }[] = [];
  const requests: string[] = [];
  let loseUseAnswer = false;
  const sockets = new Set<Socket>();

  const vendorView = (v: VendorRow): SmVendor => dropNulls({ ...v, extra: {} }) as SmVendor;
  const filamentView = (f: FilamentRow): SmFilament => {
    const { vendor_id, ...rest } = f;
    const vendor = vendor_id !== null ? vendors.get(vendor_id) : undefined;
    return dropNulls({ ...rest, vendor: vendor ? vendorView(vendor) : null, extra: {} }) as SmFilament;
  };
  const spoolView = (s: SpoolRow): SmSpool => {
    const f = filaments.get(s.filament_id)!;
    const { filament_id: _f, ...rest } = s;
    const net = s.initial_weight ?? f.weight;
    const remaining = net !== null ? Math.max(net - s.used_weight, 0) : null;
    return dropNulls({
      ...rest,
      filament: filamentView(f),
      remaining_weight: remaining,
      remaining_length: remaining !== null ? lengthFromWeight(remaining, f.diameter, f.density) : null,
      used_length: lengthFromWeight(s.used_weight, f.diameter, f.density),
      extra: {},
    }) as SmSpool;
  };

  const createVendor = (b: Record<string, unknown>): VendorRow => {
    const v: VendorRow = { id: ++ids.vendor, registered: nowIso(), name: String(b.name), comment: (b.comment as string) ?? null, empty_spool_weight: null, external_id: null };
    vendors.set(v.id, v);
    return v;
  };
  const createFilament = (b: Record<string, unknown>): FilamentRow | string => {
    const vendorId = (b.vendor_id as number | null | undefined) ?? null;
    if (vendorId !== null && !vendors.has(vendorId)) return `No vendor with ID ${vendorId} found.`;
    const f: FilamentRow = {
      id: ++ids.filament,
      registered: nowIso(),
      name: (b.name as string) ?? null,
      vendor_id: vendorId,
      material: (b.material as string) ?? null,
      price: (b.price as number) ?? null,
      density: b.density as number,
      diameter: b.diameter as number,
      weight: (b.weight as number) ?? null,
      spool_weight: (b.spool_weight as number) ?? null,
      article_number: null,
      comment: null,
      color_hex: typeof b.color_hex === 'string' ? b.color_hex.replace(/^#/, '').toUpperCase() : null,
      multi_color_hexes: (b.multi_color_hexes as string) ?? null,
    };
    filaments.set(f.id, f);
    return f;
  };
  /** Spoolman's `spool.create`: weights default to the filament's; remaining turns into used. */
  const createSpool = (b: Record<string, unknown>): SpoolRow | { status: number; message: string } => {
    const f = filaments.get(b.filament_id as number);
    if (!f) return { status: 404, message: `No filament with ID ${String(b.filament_id)} found.` };
    if (b.remaining_weight != null && b.used_weight != null) return { status: 400, message: 'Only specify either remaining_weight or used_weight.' };
    const initial = (b.initial_weight as number | null | undefined) ?? f.weight;
    let used = b.used_weight as number | null | undefined;
    if (used == null) {
      if (b.remaining_weight != null) {
        if (!initial) return { status: 400, message: 'Failed to create spool, see server logs for more information.' };
        used = Math.max(initial - (b.remaining_weight as number), 0);
      } else used = 0;
    }
    const s: SpoolRow = {
      id: ++ids.spool,
      registered: nowIso(),
      first_used: null,
      last_used: null,
      filament_id: f.id,
      price: (b.price as number) ?? null,
      initial_weight: initial ?? null,
      spool_weight: (b.spool_weight as number) ?? f.spool_weight,
      used_weight: used,
      location: (b.location as string) ?? null,
      lot_nr: (b.lot_nr as string) ?? null,
      comment: (b.comment as string) ?? null,
      archived: (b.archived as boolean) ?? false,
    };
    spools.set(s.id, s);
    return s;
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const path = url.pathname.replace(/\/+$/, '');
    const parts = path.split('/').filter(Boolean);
    if (parts[0] !== 'api' || parts[1] !== 'v1') return sendJson(res, 404, { detail: 'Not Found' });
    const [, , resource, idText, action] = parts;
    let body: unknown = undefined;
    if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') {
      const raw = (await readBody(req)).toString('utf8');
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return sendJson(res, 422, { detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }] });
      }
      if (body === undefined) return sendJson(res, 422, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
    }
    const id = idText === undefined ? null : Number(idText);
    if (idText !== undefined && !/^-?\d+$/.test(idText) && resource !== 'field') {
      return sendJson(res, 422, {
        detail: [{ type: 'int_parsing', loc: ['path', `${resource}_id`], msg: 'Input should be a valid integer, unable to parse string as an integer', input: idText }],
      });
    }
    const bad = (issues: Issue[]) => sendJson(res, 422, { detail: issues });
    const m = req.method;

    if (m === 'GET' && resource === 'info' && !idText) {
      return sendJson(res, 200, {
        version: peer.version,
        debug_mode: false,
        automatic_backups: true,
        data_dir: '/home/app/.local/share/spoolman',
        logs_dir: '/home/app/.local/share/spoolman',
        backups_dir: '/home/app/.local/share/spoolman/backups',
        db_type: 'sqlite',
        external_db_name: 'SpoolmanDB',
      });
    }
    if (m === 'GET' && resource === 'health' && !idText) return sendJson(res, 200, { status: 'healthy' });

    if (resource === 'vendor') {
      if (id === null && m === 'GET') return sendJson(res, 200, [...vendors.values()].map(vendorView), { 'x-total-count': String(vendors.size) });
      if (id === null && m === 'POST') {
        const issues = validate(body, VENDOR_RULES);
        return issues.length ? bad(issues) : sendJson(res, 200, vendorView(createVendor(body as Record<string, unknown>)));
      }
      const v = id !== null ? vendors.get(id) : undefined;
      if (m === 'GET' && id !== null) return v ? sendJson(res, 200, vendorView(v)) : sendJson(res, 404, { message: `No vendor with ID ${id} found.` });
    }

    if (resource === 'filament') {
      if (id === null && m === 'GET') return sendJson(res, 200, [...filaments.values()].map(filamentView), { 'x-total-count': String(filaments.size) });
      if (id === null && m === 'POST') {
        const issues = validate(body, FILAMENT_RULES);
        if (issues.length) return bad(issues);
        const made = createFilament(body as Record<string, unknown>);
        return typeof made === 'string' ? sendJson(res, 404, { message: made }) : sendJson(res, 200, filamentView(made));
      }
      const f = id !== null ? filaments.get(id) : undefined;
      if (m === 'GET' && id !== null) return f ? sendJson(res, 200, filamentView(f)) : sendJson(res, 404, { message: `No filament with ID ${id} found.` });
    }

    if (resource === 'spool') {
      if (id === null && m === 'GET') {
        const all = url.searchParams.get('allow_archived') === 'true';
        const list = [...spools.values()].filter((s) => all || !s.archived).map(spoolView);
        return sendJson(res, 200, list, { 'x-total-count': String(list.length) });
      }
      if (id === null && m === 'POST') {
        const issues = validate(body, SPOOL_RULES);
        if (issues.length) return bad(issues);
        const made = createSpool(body as Record<string, unknown>);
        return 'status' in made ? sendJson(res, made.status, { message: made.message }) : sendJson(res, 200, spoolView(made));
      }
      if (id !== null) {
        const s = spools.get(id);
        const notFound = () => sendJson(res, 404, { message: `No spool with ID ${id} found.` });
        if (m === 'GET' && !action) return s ? sendJson(res, 200, spoolView(s)) : notFound();
        if (m === 'DELETE' && !action) {
          if (!s) return notFound();
          spools.delete(id);
          return sendJson(res, 200, { message: 'Success!' });
        }
        if (m === 'PATCH' && !action) {
          const issues = validate(body, { ...SPOOL_RULES, filament_id: { kind: 'int' } });
          if (issues.length) return bad(issues);
          const b = body as Record<string, unknown>;
          if (b.remaining_weight != null && b.used_weight != null) return sendJson(res, 400, { message: 'Only specify either remaining_weight or used_weight.' });
          if (!s) return notFound();
          if ('filament_id' in b) {
            const f = filaments.get(b.filament_id as number);
            if (!f) return sendJson(res, 404, { message: `No filament with ID ${String(b.filament_id)} found.` });
            s.filament_id = f.id;
            if (s.initial_weight === null && f.weight !== null) s.initial_weight = f.weight;
          }
          for (const [k, v] of Object.entries(b)) {
            if (k === 'filament_id' || k === 'extra') continue;
            if (k === 'remaining_weight') {
              if (s.initial_weight === null) return sendJson(res, 400, { message: 'Failed to update spool, see server logs for more information.' });
              s.used_weight = Math.max(s.initial_weight - (v as number), 0);
            } else if (k in s) (s as unknown as Record<string, unknown>)[k] = v;
          }
          return sendJson(res, 200, spoolView(s));
        }
        if (m === 'PUT' && action === 'use') {
          const b = body as Record<string, unknown>;
          const issues = validate(body, { use_weight: { kind: 'float', nullable: true }, use_length: { kind: 'float', nullable: true } });
          if (issues.length) return bad(issues);
          if (b.use_weight != null && b.use_length != null) return sendJson(res, 400, { message: 'Only specify either use_weight or use_length.' });
          if (b.use_weight == null && b.use_length == null) return sendJson(res, 400, { message: 'Either use_weight or use_length must be specified.' });
          useCalls.push({ spoolId: id, body: b });
          if (!s) return notFound();
          const f = filaments.get(s.filament_id)!;
          const grams = b.use_weight != null ? (b.use_weight as number) : (b.use_length as number) * (f.density / 1000) * Math.PI * (f.diameter / 2) ** 2;
          // Spoolman's use_weight_safe: used_weight + weight, or 0 if that would be negative; never capped at the top.
          s.used_weight = Math.max(s.used_weight + grams, 0);
          s.first_used ??= nowIso();
          s.last_used = nowIso();
          if (loseUseAnswer) {
            loseUseAnswer = false;
            req.socket.destroy();
            return;
          }
          return sendJson(res, 200, spoolView(s));
        }
      }
    }
    if (['vendor', 'filament', 'spool', 'info', 'health'].includes(resource ?? '')) return sendJson(res, 405, { detail: 'Method Not Allowed' });
    return sendJson(res, 404, { detail: 'Not Found' });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  let port = opts.port ?? 0;
  const listenNow = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  await listenNow();
  let listening = true;

  const peer: SpoolmanPeer = {
    url: `http://127.0.0.1:${port}`,
    get port() {
      return port;
    },
    version: opts.version ?? '0.22.1',
    addVendor: (v) => vendorView(createVendor(v)),
    addFilament: (f) => {
      const made = createFilament(f);
      if (typeof made === 'string') throw new Error(made);
      return filamentView(made);
    },
    addSpool: (s) => {
      const made = createSpool(s);
      if ('status' in made) throw new Error(made.message);
      return spoolView(made);
    },
    spool: (id) => {
      const s = spools.get(id);
      return s ? spoolView(s) : null;
    },
    deleteSpool: (id) => void spools.delete(id),
    useCalls,
    requests,
    loseNextUseAnswer: () => void (loseUseAnswer = true),
    stop: async () => {
      if (!listening) return;
      listening = false;
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
    start: async () => {
      if (listening) return;
      await listenNow();
      listening = true;
    },
    close: () => peer.stop(),
  };
  return peer;
}
