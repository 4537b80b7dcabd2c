import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { call, FakeClock, sandboxFor } from './test-support';

describe('/materials/filament (research/apf-api.md §5)', () => {
  const clock = new FakeClock();
  let sb: Sandbox & { admin: string };
  let rw: string;
  beforeAll(async () => {
    sb = await sandboxFor({ now: clock.now });
    rw = sb.createKey({ name: 'materials', scopes: ['materials:read', 'materials:write'] }).key;
  });
  afterAll(() => sb.close());

  it('creates a record with the real defaults and answers 201 with the documented fields, never a cost', async () => {
    const res = await call(sb, rw, 'POST', '/materials/filament', { type: 'PETG', color: 'Black', hex_code: '#000000', brand: 'Prusament', remaining_grams: 800 });
    expect(res.status, res.text).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(
      ['brand', 'color', 'created_at', 'diameter', 'hex_code', 'id', 'location', 'low_threshold', 'remaining_grams', 'spool_weight_grams', 'status', 'type', 'updated_at'].sort(),
    );
    expect(res.json).toMatchObject({ type: 'PETG', color: 'Black', diameter: '1.75mm', spool_weight_grams: 1000, low_threshold: 100, status: 'in_stock', location: null });
    expect(res.json.created_at).toBe('2025-01-15T10:30:00.000Z');
  });

  it('refuses cost and reorder fields and a server-computed status by name, and names every bad field', async () => {
    const res = await call(sb, rw, 'POST', '/materials/filament', { type: 'PLA', color: 'Red', cost_per_unit: 20, reorder_link: 'https://x.example' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.details).toEqual({ cost_per_unit: 'costs are never accepted through the API', reorder_link: 'reorder links are never accepted through the API' });
    const bad = await call(sb, rw, 'POST', '/materials/filament', { type: '', color: 'x'.repeat(51), hex_code: '#1234567', remaining_grams: -1, colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual({
      type: 'must not be empty',
      color: 'must be at most 50 characters',
      hex_code: 'must be at most 7 characters',
      remaining_grams: 'must be 0 or more',
      colour: 'unknown field',
    });
  });

  it('lists newest first in the paging envelope of the other lists, with the low_stock, material_type and color filters', async () => {
    clock.advance(1000);
    await call(sb, rw, 'POST', '/materials/filament', { type: 'PLA', color: 'White', remaining_grams: 50 });
    const all = await call(sb, rw, 'GET', '/materials/filament?per_page=1');
    expect(all.status).toBe(200);
    expect(all.json.pagination).toEqual({ page: 1, per_page: 1, total: 2, total_pages: 2 });
    expect(all.json.data[0]).toMatchObject({ type: 'PLA', status: 'low' });
    expect((await call(sb, rw, 'GET', '/materials/filament?low_stock=true')).json.data.map((f: { color: string }) => f.color)).toEqual(['White']);
    expect((await call(sb, rw, 'GET', '/materials/filament?material_type=PETG')).json.data.map((f: { color: string }) => f.color)).toEqual(['Black']);
    expect((await call(sb, rw, 'GET', '/materials/filament?color=White')).json.pagination.total).toBe(1);
    expect((await call(sb, rw, 'GET', '/materials/filament?low_stock=maybe')).status).toBe(400);
  });

  it('PATCH changes the given fields and moves updated_at; an unknown id is 404; DELETE is 204 then 404', async () => {
    const made = (await call(sb, rw, 'POST', '/materials/filament', { type: 'ASA', color: 'Grey', remaining_grams: 900 })).json;
    clock.advance(60_000);
    const patched = await call(sb, rw, 'PATCH', `/materials/filament/${made.id}`, { remaining_grams: 0 });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ remaining_grams: 0, status: 'out_of_stock', color: 'Grey' });
    expect(Date.parse(patched.json.updated_at) - Date.parse(made.updated_at)).toBe(60_000);
    expect((await call(sb, rw, 'PATCH', `/materials/filament/${made.id}`, {})).status).toBe(400);
    expect((await call(sb, rw, 'PATCH', '/materials/filament/fil_nope', { color: 'x' })).status).toBe(404);
    expect((await call(sb, rw, 'DELETE', `/materials/filament/${made.id}`)).status).toBe(204);
    expect((await call(sb, rw, 'GET', `/materials/filament/${made.id}`)).json.error.code).toBe('not_found');
  });

  it('a POST sent again with the same Idempotency-Key gets the same record, not a second one (ours)', async () => {
    const before = (await call(sb, rw, 'GET', '/materials/filament')).json.pagination.total;
    const body = { type: 'TPU', color: 'Blue' };
    const a = await call(sb, rw, 'POST', '/materials/filament', body, { 'Idempotency-Key': 'k-1' });
    const b = await call(sb, rw, 'POST', '/materials/filament', body, { 'Idempotency-Key': 'k-1' });
    expect(b.status).toBe(201);
    expect(b.json.id).toBe(a.json.id);
    expect((await call(sb, rw, 'GET', '/materials/filament')).json.pagination.total).toBe(before + 1);
  });

  it('needs materials:read to read and materials:write to change; materials:* covers both', async () => {
    const printersOnly = sb.createKey({ name: 'p', scopes: ['printers:read'] }).key;
    const readOnly = sb.createKey({ name: 'r', scopes: ['materials:read'] }).key;
    const wildcard = sb.createKey({ name: 'w', scopes: ['materials:*'] }).key;
    const refused = await call(sb, printersOnly, 'GET', '/materials/filament');
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('{"error":{"code":"insufficient_permissions","message":"This API key lacks the required scope: materials:read"}}');
    expect((await call(sb, readOnly, 'GET', '/materials/filament')).status).toBe(200);
    expect((await call(sb, readOnly, 'POST', '/materials/filament', { type: 'PLA', color: 'Red' })).json.error.message).toMatch(/materials:write$/);
    expect((await call(sb, wildcard, 'POST', '/materials/filament', { type: 'PLA', color: 'Red' })).status).toBe(201);
    expect(sb.requestsSeen().filter((r) => r.startsWith('GET /v1/materials/filament')).length).toBeGreaterThan(0);
  });
});
