import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../../electron/core/cloud/errors';
import type { Job, Printer } from '../../../electron/core/cloud/schemas';
import { caught, json, scriptedClient, type RecordedCall } from './fake-fetch';

function printer(n: number): Printer {
  return { id: `prt_${n}`, name: `P${n}`, status: 'idle', created_at: 't', updated_at: 't' };
}
function job(n: number): Job {
  return { id: `job_${n}`, name: `J${n}`, status: 'queued', created_at: 't', updated_at: 't' };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const query = (c: RecordedCall) => Object.fromEntries(c.url.searchParams);

describe('page/per_page paging (v1)', () => {
  it('iterates every page until total_pages, passing filters on each request', async () => {
    const page = (n: number, items: Printer[]) => json(200, { data: items, pagination: { page: n, per_page: 2, total: 5, total_pages: 3 } });
    const { client, calls } = scriptedClient([page(1, [printer(1), printer(2)]), page(2, [printer(3), printer(4)]), page(3, [printer(5)])]);
    const all = await collect(client.printers.iterate({ status: 'idle', group: 'A' }, { pageSize: 2 }));
    expect(all.map((p) => p.id)).toEqual(['prt_1', 'prt_2', 'prt_3', 'prt_4', 'prt_5']);
    expect(calls.map(query)).toEqual([
      { status: 'idle', group: 'A', page: '1', per_page: '2' },
      { status: 'idle', group: 'A', page: '2', per_page: '2' },
      { status: 'idle', group: 'A', page: '3', per_page: '2' },
    ]);
  });

  it('stops after the first page of an empty list', async () => {
    const { client, calls } = scriptedClient([json(200, { data: [], pagination: { page: 1, per_page: 100, total: 0, total_pages: 0 } })]);
    expect(await collect(client.jobs.iterate())).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('lets a caller stop early without fetching further pages', async () => {
    const { client, calls } = scriptedClient([json(200, { data: [job(1), job(2)], pagination: { page: 1, per_page: 2, total: 6, total_pages: 3 } })]);
    for await (const j of client.jobs.iterate({ status: 'queued' }, { pageSize: 2 })) {
      if (j.id === 'job_1') break;
    }
    expect(calls).toHaveLength(1);
  });

  it('returns one normalised page from list()', async () => {
    const { client, calls } = scriptedClient([json(200, { data: [job(3)], pagination: { page: 2, per_page: 1, total: 2, total_pages: 2 } })]);
    const page = await client.jobs.list({ priority: 'high', page: 2, per_page: 1 });
    expect(page).toEqual({
      data: [job(3)],
      paging: { style: 'page', page: 2, perPage: 1, total: 2, totalPages: 2 },
      hasMore: false,
    });
    expect(query(calls[0]!)).toEqual({ priority: 'high', page: '2', per_page: '1' });
  });
});

describe('limit/offset paging (/public/v1)', () => {
  it('uses limit/offset by default for a /public/v1 base URL and follows meta.hasMore', async () => {
    const { client, calls } = scriptedClient(
      [
        json(200, { success: true, data: [job(1), job(2)], meta: { total: 3, limit: 2, offset: 0, hasMore: true } }),
        json(200, { success: true, data: [job(3)], meta: { total: 3, limit: 2, offset: 2, hasMore: false } }),
      ],
      { baseUrl: 'https://api.autoprintfarm.com/public/v1' },
    );
    const all = await collect(client.jobs.iterate({}, { pageSize: 2 }));
    expect(all.map((j) => j.id)).toEqual(['job_1', 'job_2', 'job_3']);
    expect(calls.map(query)).toEqual([
      { limit: '2', offset: '0' },
      { limit: '2', offset: '2' },
    ]);
  });

  it('without hasMore or total, asks for the next page while pages come back full', async () => {
    const { client, calls } = scriptedClient(
      [
        json(200, { success: true, data: [job(1), job(2)], meta: { limit: 2, offset: 0, count: 2 } }),
        json(200, { success: true, data: [job(3)], meta: { limit: 2, offset: 2, count: 1 } }),
      ],
      { pagingStyle: 'offset' },
    );
    expect((await collect(client.jobs.iterate({}, { pageSize: 2 }))).length).toBe(3);
    expect(calls).toHaveLength(2);
  });

  it('treats a list without any paging information as a single page', async () => {
    const { client, calls } = scriptedClient([json(200, { success: true, data: [printer(1), printer(2)] })], {
      pagingStyle: 'offset',
    });
    expect((await collect(client.printers.iterate({}, { pageSize: 2 }))).length).toBe(2);
    expect(calls).toHaveLength(1);
  });
});

describe('list validation', () => {
  it('rejects a page whose items are malformed, naming the item', async () => {
    const { client } = scriptedClient([json(200, { data: [printer(1), { id: 'prt_2' }], pagination: { page: 1, per_page: 2, total: 2, total_pages: 1 } })]);
    const err = await caught(client.printers.list());
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as InvalidResponseError).issues[0]).toMatch(/^data\.1\.name: /);
  });

  it('reads the key list in the v1 {keys} shape and a {data} shape', async () => {
    const info = { id: 'key_1', name: 'n', scopes: ['admin:*'], created_at: 'c', last_used_at: null };
    const { client } = scriptedClient([json(200, { keys: [info] }), json(200, { success: true, data: [info] })]);
    expect(await client.apiKeys.list()).toEqual([info]);
    expect(await client.apiKeys.list()).toEqual([info]);
  });
});
