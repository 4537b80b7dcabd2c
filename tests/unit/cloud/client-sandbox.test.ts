/** The client against the AutoPrintFarm v1 sandbox over real HTTP on loopback. */
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudClient, type CloudClientOptions } from '../../../electron/core/cloud/client';
import { ApiKeyConfigError, InsufficientPermissionsError, InvalidApiKeyError, InvalidRequestError, InvalidStateError, NotFoundError } from '../../../electron/core/cloud/errors';
import { maskKey } from '../../../electron/core/keys/key-format';
import { startSandbox } from '../../sandbox/server';
import { caught } from './fake-fetch';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const sandboxes: Sandbox[] = [];

afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

async function sandbox(opts: Parameters<typeof startSandbox>[0] = {}) {
  const sb = await startSandbox({ organization: 'Test Farm', ...opts });
  sandboxes.push(sb);
  if (sb.adminKey === null) throw new Error('a fresh sandbox mints an admin key');
  return { sb, adminKey: sb.adminKey };
}

/** A client that counts its requests, so tests can see how many pages or attempts were made. */
function clientFor(url: string, key: string | (() => string | null), extra: Partial<CloudClientOptions> = {}) {
  const paths: string[] = [];
  const client = createCloudClient({
    baseUrl: url,
    apiKey: typeof key === 'string' ? () => key : key,
    fetch: (input, init) => {
      const u = new URL(String(input));
      paths.push(`${init?.method ?? 'GET'} ${u.pathname.replace(/^\/v1/, '')}${u.search}`);
      return fetch(input, init);
    },
    sleep: async () => undefined,
    ...extra,
  });
  return { client, paths };
}

describe('auth and keys', () => {
  it('auth.test answers for a valid key and the client records the rate-limit headers', async () => {
    const { sb, adminKey } = await sandbox({ rateLimitPerHour: 50 });
    const { client } = clientFor(sb.url, adminKey);
    const answer = await client.auth.test();
    expect(answer).toMatchObject({ authenticated: true, organization: 'Test Farm', key_id: expect.stringMatching(/^key_/) });
    expect(client.rateLimit).toMatchObject({ limit: 50, remaining: 49 });
    expect(client.rateLimit?.resetAt).toBeGreaterThan(Date.now());
  });

  it('creates, lists, rolls and deletes keys; a rolled key keeps working and a deleted one stops at once', async () => {
    const { sb, adminKey } = await sandbox();
    const { client: admin } = clientFor(sb.url, adminKey);

    const created = await admin.apiKeys.create({ name: 'Job Submitter', scopes: ['jobs:write', 'printers:read'] });
    expect(created).toMatchObject({ name: 'Job Submitter', scopes: ['jobs:write', 'printers:read'], last_used_at: null });
    expect(created.key).toMatch(/^apf_dev_[0-9a-f]{64}$/);

    const { client: submitter } = clientFor(sb.url, created.key);
    expect(await submitter.apiKeys.current()).toMatchObject({ id: created.id, name: 'Job Submitter' });

    const listed = (await admin.apiKeys.list()).find((k) => k.id === created.id);
    expect(listed).toMatchObject({ prefix: 'apf_dev_', last4: created.key.slice(-4), expires_at: null });
    expect(`${listed?.prefix}…${listed?.last4}`).toBe(maskKey(created.key));
    expect(listed?.request_count).toBe(1);

    const rolled = await admin.apiKeys.roll(created.id);
    expect(rolled.key).not.toBe(created.key);
    expect((await admin.apiKeys.list()).find((k) => k.id === created.id)?.expires_at).not.toBeNull();
    const { client: successor } = clientFor(sb.url, rolled.key);
    expect((await successor.auth.test()).key_id).toBe(rolled.id);
    expect((await submitter.auth.test()).key_id).toBe(created.id);

    await admin.apiKeys.delete(rolled.id);
    expect(await caught(successor.auth.test())).toBeInstanceOf(InvalidApiKeyError);
    expect(await caught(admin.apiKeys.roll(created.id))).toBeInstanceOf(InvalidStateError);
  });

  it('a 401 for an unknown key is an InvalidApiKeyError that shows only the mask', async () => {
    const { sb } = await sandbox();
    const unknown = `apf_dev_${'d'.repeat(64)}`;
    const err = await caught(clientFor(sb.url, unknown).client.auth.test());
    expect(err).toBeInstanceOf(InvalidApiKeyError);
    expect(err).toMatchObject({ status: 401, serverCode: 'invalid_api_key' });
    expect(String(err)).toContain('apf_dev_…dddd');
    expect(String(err)).not.toContain('d'.repeat(16));
  });

  it('a 403 names the missing scope: a read-only key writing, a non-admin managing keys', async () => {
    const { sb } = await sandbox();
    const { key } = sb.createKey({ name: 'reader', scopes: ['printers:read'] });
    const { client } = clientFor(sb.url, key);

    const write = await caught(client.printers.create({ name: 'MK4 #1', model: 'MK4' }));
    expect(write).toBeInstanceOf(InsufficientPermissionsError);
    expect(write).toMatchObject({ status: 403, missingScope: 'printers:write' });

    expect(await caught(client.apiKeys.list())).toMatchObject({ missingScope: 'admin:*' });
    expect(await caught(client.jobs.list())).toMatchObject({ missingScope: 'jobs:read' });
  });

  it('an unknown scope on create is an InvalidRequestError whose details name the field', async () => {
    const { sb, adminKey } = await sandbox();
    const err = await caught(clientFor(sb.url, adminKey).client.apiKeys.create({ name: 'x', scopes: ['Printers:Read'] }));
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(JSON.stringify((err as InvalidRequestError).fieldDetails)).toMatch(/scopes/);
    expect((err as Error).message).toMatch(/printers:read/);
  });
});

describe('environments', () => {
  it('refuses a live key for a loopback server unless the live environment is chosen explicitly', async () => {
    const { sb, adminKey } = await sandbox({ adminKeyPrefix: 'apf_live_' });
    const implicit = clientFor(sb.url, adminKey);
    expect(await caught(implicit.client.auth.test())).toBeInstanceOf(ApiKeyConfigError);
    expect(implicit.paths).toEqual([]);

    const explicit = clientFor(sb.url, adminKey, { environment: 'live' });
    expect((await explicit.client.auth.test()).authenticated).toBe(true);
  });
});

describe('printers and jobs', () => {
  it('iterates all printers across pages with for await, keeping the filter', async () => {
    const { sb, adminKey } = await sandbox();
    const { client, paths } = clientFor(sb.url, adminKey);
    for (let i = 1; i <= 7; i++) await client.printers.create({ name: `MK4 #${i}`, model: 'MK4', group: 'A' });
    await client.printers.create({ name: 'Other', model: 'X1C', group: 'B' });
    paths.length = 0;

    const names: string[] = [];
    for await (const p of client.printers.iterate({ group: 'A' }, { pageSize: 3 })) names.push(p.name);
    expect(names.sort()).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `MK4 #${i}`));
    expect(paths).toEqual(['GET /printers?group=A&page=1&per_page=3', 'GET /printers?group=A&page=2&per_page=3', 'GET /printers?group=A&page=3&per_page=3']);
  });

  it('runs a job through its life and pauses its printer; an action that does not fit is InvalidStateError', async () => {
    const { sb, adminKey } = await sandbox();
    const { client } = clientFor(sb.url, adminKey);
    const printer = await client.printers.create({ name: 'MK4', model: 'MK4', tags: ['pla'] });
    expect(printer).toMatchObject({ status: 'idle', tags: ['pla'], current_job: null });
    expect(await caught(client.printers.action(printer.id, 'pause'))).toBeInstanceOf(InvalidStateError);

    const job = await client.jobs.create({ name: 'Benchy', file_url: 'https://files.example.com/benchy.gcode', priority: 'high' });
    // The cloud answers priorities as integers 0–255 (high = 100) and reaches printing only through
    // processing and uploaded (shared/spec/cloud-hub.md, "Jobs in the cloud").
    expect(job).toMatchObject({ status: 'queued', priority: 100, printer_id: null });
    await client.jobs.update(job.id, { printer_id: printer.id });
    for (const status of ['processing', 'uploaded']) await client.jobs.update(job.id, { status });
    expect(await client.jobs.update(job.id, { status: 'printing' })).toMatchObject({ status: 'printing' });
    expect((await client.jobs.update(job.id, { progress: 40 })).progress).toBe(40);

    expect((await client.printers.action(printer.id, 'pause')).status).toBe('paused');
    expect((await client.printers.get(printer.id)).current_job).toBe(job.id);
    expect((await client.jobs.cancel(job.id)).status).toBe('cancelled');
    expect((await client.jobs.get(job.id)).finished_at).not.toBeNull();

    const page = await client.jobs.list({ status: 'cancelled' });
    expect(page.data.map((j) => j.id)).toEqual([job.id]);
    expect(page.paging).toMatchObject({ style: 'page', page: 1, total: 1, totalPages: 1 });
  });

  it('updates and deletes a printer; getting it afterwards is a NotFoundError', async () => {
    const { sb, adminKey } = await sandbox();
    const { client } = clientFor(sb.url, adminKey);
    const p = await client.printers.create({ name: 'Old', model: 'MK3S' });
    expect((await client.printers.update(p.id, { name: 'New', group: 'Shelf 2' })).name).toBe('New');
    await client.printers.delete(p.id);
    expect(await caught(client.printers.get(p.id))).toBeInstanceOf(NotFoundError);
  });
});

describe('rate limit', () => {
  it('waits out the Retry-After of a 429 and then gets through', async () => {
    // Windows are aligned to the clock hour; start 5 s before the next one so the wait is short.
    const hour = 3_600_000;
    let clock = Math.ceil(Date.now() / hour) * hour - 5_000;
    const { sb } = await sandbox({ rateLimitPerHour: 2, now: () => clock });
    const { key } = sb.createKey({ name: 'limited', scopes: ['printers:read'] });
    const slept: number[] = [];
    const { client, paths } = clientFor(sb.url, key, {
      now: () => clock,
      maxRetryAfterMs: hour,
      // The injected sleep moves the sandbox's clock instead of waiting.
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });

    await client.printers.list();
    await client.printers.list();
    expect(client.rateLimit?.remaining).toBe(0);
    const third = await client.printers.list();
    expect(third.data).toEqual([]);
    expect(slept).toEqual([5_000]);
    expect(paths).toHaveLength(4);
    expect(client.rateLimit).toMatchObject({ limit: 2, remaining: 1 });
  });

  it('surfaces the RateLimitError with retryAfterSeconds when the wait is longer than allowed', async () => {
    const { sb } = await sandbox({ rateLimitPerHour: 1 });
    const { key } = sb.createKey({ name: 'limited', scopes: ['printers:read'] });
    const { client, paths } = clientFor(sb.url, key, { maxRetryAfterMs: 0 });
    await client.printers.list();
    const err = await caught(client.printers.list());
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect((err as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(paths).toHaveLength(2);
  });
});
