import { z } from 'zod';
import { notFound } from '../http-io';
import type { VerifiedKey } from '../keys';
import { filamentStatus, type FilamentChanges, type FilamentRecord, type FilamentRepo } from '../materials';
import type { Route } from '../router';
import type { Db } from '../store';
import { iso, pageEnvelope, parseBody, QueryReader, throwInvalid } from '../validation';

/** A filament record as `GET /materials/filament` answers it (§5): never a cost or a reorder link. */
export function filamentJson(f: FilamentRecord) {
  return {
    id: f.id,
    type: f.type,
    color: f.color,
    hex_code: f.hexCode,
    brand: f.brand,
    diameter: f.diameter,
    remaining_grams: f.remainingGrams,
    spool_weight_grams: f.spoolWeightGrams,
    low_threshold: f.lowThreshold,
    status: filamentStatus(f),
    location: f.location,
    created_at: iso(f.createdAt),
    updated_at: iso(f.updatedAt),
  };
}

const max = (n: number) => z.string().max(n, `must be at most ${n} characters`);
const required = (n: number) => z.string().trim().min(1, 'must not be empty').max(n, `must be at most ${n} characters`);
const grams = z.number().min(0, 'must be 0 or more');

// The field limits of the real create schema (§5). Costs and reorder links exist in the product but the public API
// refuses them, and `status` is the server's to compute.
const fields = {
  type: required(100),
  color: required(50),
  hex_code: max(7).optional(),
  brand: max(100).optional(),
  diameter: max(20).optional(),
  remaining_grams: grams.optional(),
  spool_weight_grams: grams.optional(),
  low_threshold: grams.optional(),
  location: max(200).optional(),
};
const createSchema = z.strictObject(fields);
const patchSchema = z.strictObject({ ...fields, type: required(100).optional(), color: required(50).optional() });

const NEVER_TAKEN: Record<string, string> = {
  cost_per_unit: 'costs are never accepted through the API',
  reorder_link: 'reorder links are never accepted through the API',
  status: 'status is computed by the server from remaining_grams and low_threshold',
};

/** Names the refused cost fields with their reason before the schema calls them unknown. */
function refuseNeverTaken(body: Record<string, unknown>): void {
  const refused = Object.fromEntries(Object.keys(body).flatMap((k) => (NEVER_TAKEN[k] ? [[k, NEVER_TAKEN[k]]] : [])));
  if (Object.keys(refused).length > 0) throwInvalid(refused);
}

// The real product's defaults for what a create leaves out.
const DEFAULT_DIAMETER = '1.75mm';
const DEFAULT_SPOOL_WEIGHT_G = 1000;
const DEFAULT_LOW_THRESHOLD_G = 100;

export interface MaterialRouteDeps {
  db: Db;
  filaments: FilamentRepo;
}

export function materialRoutes(deps: MaterialRouteDeps): Route[] {
  const { db, filaments } = deps;
  const mustGet = (id: string) => {
    const f = filaments.get(id);
    if (!f) throw notFound(`No filament with id ${id}.`);
    return f;
  };
  const idempotencyKeyOf = (headers: Record<string, string | string[] | undefined>): string | null => {
    const raw = headers['idempotency-key'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    return value && value.length <= 255 ? value : null;
  };
  const callerOf = (caller: VerifiedKey) => caller.id;

  return [
    {
      method: 'GET',
      path: '/materials/filament',
      scope: 'materials:read',
      handle: ({ query }) => {
        const q = new QueryReader(query);
        const lowStock = q.oneOf('low_stock', ['true', 'false'] as const);
        const materialType = q.string('material_type');
        const color = q.string('color');
        const { page, perPage } = q.paging();
        q.done();
        const { items, total } = filaments.list({ lowStock: lowStock === 'true', materialType, color }, page, perPage);
        return { status: 200, body: pageEnvelope(items.map(filamentJson), page, perPage, total) };
      },
    },
    {
      method: 'GET',
      path: '/materials/filament/:id',
      scope: 'materials:read',
      handle: ({ params }) => ({ status: 200, body: filamentJson(mustGet(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/materials/filament',
      scope: 'materials:write',
      handle: async ({ caller, headers, readJson }) => {
        const raw = await readJson();
        refuseNeverTaken(raw);
        const b = parseBody(createSchema, raw);
        const idem = idempotencyKeyOf(headers);
        return db.transaction(() => {
          // The same Idempotency-Key from the same caller: the record the first request made, not a second one.
          const earlier = idem === null ? null : filaments.idempotent(callerOf(caller), idem);
          const existing = earlier === null ? null : filaments.get(earlier);
          if (existing) return { status: 201 as const, body: filamentJson(existing) };
          const created = filaments.create({
            type: b.type,
            color: b.color,
            hexCode: b.hex_code ?? null,
            brand: b.brand ?? null,
            diameter: b.diameter || DEFAULT_DIAMETER,
            remainingGrams: b.remaining_grams ?? 0,
            spoolWeightGrams: b.spool_weight_grams || DEFAULT_SPOOL_WEIGHT_G,
            lowThreshold: b.low_threshold ?? DEFAULT_LOW_THRESHOLD_G,
            location: b.location ?? null,
          });
          if (idem !== null) filaments.rememberIdempotent(callerOf(caller), idem, created.id);
          return { status: 201 as const, body: filamentJson(created) };
        })();
      },
    },
    {
      method: 'PATCH',
      path: '/materials/filament/:id',
      scope: 'materials:write',
      handle: async ({ params, readJson }) => {
        const raw = await readJson();
        refuseNeverTaken(raw);
        const b = parseBody(patchSchema, raw);
        if (Object.keys(b).length === 0) throwInvalid({ body: 'give at least one field to change' });
        const changes: FilamentChanges = {
          type: b.type,
          color: b.color,
          hexCode: b.hex_code,
          brand: b.brand,
          diameter: b.diameter,
          remainingGrams: b.remaining_grams,
          spoolWeightGrams: b.spool_weight_grams,
          lowThreshold: b.low_threshold,
          location: b.location,
        };
        return db.transaction(() => {
          mustGet(params.id!);
          return { status: 200 as const, body: filamentJson(filaments.update(params.id!, changes)!) };
        })();
      },
    },
    {
      method: 'DELETE',
      path: '/materials/filament/:id',
      scope: 'materials:write',
      handle: ({ params }) => {
        if (!filaments.delete(params.id!)) throw notFound(`No filament with id ${params.id!}.`);
        return { status: 204 };
      },
    },
  ];
}
