import { describe, expect, it } from 'vitest';
import { AbortError, InvalidApiKeyError, NetworkError, RateLimitError, ServerError } from '../../../electron/core/cloud/errors';
import { createCloudClient } from '../../../electron/core/cloud/client';
import { LIVE_KEY, caught, json, networkFailure, scriptedClient, scriptedFetch } from './fake-fetch';

const AUTH_OK = { authenticated: true, key_id: 'key_1', organization: 'Acme' };
const KEY_INFO = { id: 'key_2', name: 'n', scopes: ['jobs:read'], created_at: 'c', last_used_at: null };
const NOW_MS = Date.UTC(2025, 9, 6, 14, 0, 0);
const serverError = (status = 500) => json(status, { error: { code: 'internal_error', message: 'boom' } });

describe('retries', () => {
  it('retries a GET after 5xx with exponential backoff and returns the eventual answer', async () => {
    const { client, calls, sleeps } = scriptedClient([serverError(500), serverError(502), json(200, AUTH_OK)]);
    expect(await client.auth.test()).toEqual(AUTH_OK);
    expect(calls).toHaveLength(3);
    // random() = 1 shows the ceiling of the full-jitter window: 500 ms, then 1000 ms.
    expect(sleeps).toEqual([500, 1000]);
  });

  it('draws each wait uniformly below the ceiling (full jitter)', async () => {
    const draws = [0.25, 0.5];
    const { client, sleeps } = scriptedClient([serverError(), serverError(), json(200, AUTH_OK)], {
      random: () => draws.shift() ?? 0,
    });
    await client.auth.test();
    expect(sleeps).toEqual([125, 500]);
  });

  it('caps the backoff at maxRetryDelayMs', async () => {
    const { client, sleeps } = scriptedClient([serverError(), serverError(), serverError(), json(200, AUTH_OK)], {
      maxRetries: 3,
      initialRetryDelayMs: 1000,
      maxRetryDelayMs: 1500,
    });
    await client.auth.test();
    expect(sleeps).toEqual([1000, 1500, 1500]);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const { client, calls } = scriptedClient([serverError(500), serverError(503), serverError(504)], { maxRetries: 2 });
    const err = await caught(client.auth.test());
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).status).toBe(504);
    expect(calls).toHaveLength(3);
  });

  it('waits exactly as long as Retry-After says on a 429, then succeeds', async () => {
    const { client, sleeps } = scriptedClient([
      json(429, { error: { code: 'rate_limit_exceeded', message: 'Rate limit exceeded. Retry after 7 seconds' } }, { 'retry-after': '7' }),
      json(200, AUTH_OK),
    ]);
    await client.auth.test();
    expect(sleeps).toEqual([7000]);
  });

  it('understands Retry-After as an HTTP date', async () => {
    const at = new Date(NOW_MS + 4000).toUTCString();
    const { client, sleeps } = scriptedClient([json(429, {}, { 'retry-after': at }), json(200, AUTH_OK)]);
    await client.auth.test();
    expect(sleeps).toEqual([4000]);
  });

  it('uses X-RateLimit-Reset when no Retry-After is sent', async () => {
    const reset = String(NOW_MS / 1000 + 3);
    const { client, sleeps } = scriptedClient([
      json(429, { success: false, code: 'RATE_LIMITED', error: 'slow' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
      json(200, AUTH_OK),
    ]);
    await client.auth.test();
    expect(sleeps).toEqual([3000]);
  });

  it('does not wait an hour: a Retry-After above maxRetryAfterMs surfaces the RateLimitError at once', async () => {
    const { client, calls, sleeps } = scriptedClient([json(429, {}, { 'retry-after': '3600' })], { maxRetryAfterMs: 60_000 });
    const err = await caught(client.auth.test());
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterSeconds).toBe(3600);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([400, 401, 403, 404, 409, 422])('never retries HTTP %i', async (status) => {
    const { client, calls } = scriptedClient([json(status, { error: { code: 'x', message: 'y' } }), json(200, AUTH_OK)]);
    await caught(client.auth.test());
    expect(calls).toHaveLength(1);
  });

  it('retries a GET after a network error', async () => {
    const { client, calls } = scriptedClient([networkFailure('ECONNRESET'), json(200, AUTH_OK)]);
    expect(await client.auth.test()).toEqual(AUTH_OK);
    expect(calls).toHaveLength(2);
  });

  it('does not repeat a POST that may have reached the server (500, connection reset)', async () => {
    for (const first of [serverError(500), networkFailure('ECONNRESET')]) {
      const { client, calls } = scriptedClient([first, json(201, { ...KEY_INFO, key: LIVE_KEY })]);
      await caught(client.apiKeys.create({ name: 'n', scopes: ['jobs:read'] }));
      expect(calls).toHaveLength(1);
    }
  });

  it('repeats a POST the server cannot have acted on (refused connection, 429, 503) with the same Idempotency-Key', async () => {
    const { client, calls } = scriptedClient([networkFailure('ECONNREFUSED'), json(429, {}, { 'retry-after': '0' }), serverError(503), json(201, { ...KEY_INFO, key: LIVE_KEY })], {
      maxRetries: 3,
    });
    const created = await client.apiKeys.create({ name: 'n', scopes: ['jobs:read'] });
    expect(created.key).toBe(LIVE_KEY);
    const keys = calls.map((c) => c.headers['idempotency-key']);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('treats a 404 on a repeated DELETE as done: the first attempt got through', async () => {
    const { client, calls } = scriptedClient([networkFailure('ECONNRESET'), json(404, { error: { code: 'not_found', message: 'gone' } })]);
    await expect(client.apiKeys.delete('key_2')).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it('still reports a 404 on the first DELETE attempt', async () => {
    const { client } = scriptedClient([json(404, { error: { code: 'not_found', message: 'gone' } })]);
    expect(await caught(client.apiKeys.delete('key_2'))).toMatchObject({ kind: 'not_found' });
  });

  it('stops waiting between attempts as soon as the caller aborts', async () => {
    const scripted = scriptedFetch([serverError(503), json(200, AUTH_OK)]);
    let sleeping!: () => void;
    const asleep = new Promise<void>((r) => (sleeping = r));
    const client = createCloudClient({
      baseUrl: 'https://api.autoprintfarm.com/v1',
      apiKey: () => LIVE_KEY,
      fetch: scripted.fetch,
      // A sleep that would never end on its own.
      sleep: () => {
        sleeping();
        return new Promise(() => undefined);
      },
    });
    const controller = new AbortController();
    const pending = caught(client.auth.test({ signal: controller.signal }));
    await asleep;
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
    expect(scripted.calls).toHaveLength(1);
  });

  it('uses the key as it is at each call, so a rotated key takes effect without a restart', async () => {
    let key = LIVE_KEY;
    const { client, calls } = scriptedClient([json(200, AUTH_OK), json(200, AUTH_OK)], { apiKey: async () => key });
    await client.auth.test();
    key = `apf_live_${'b'.repeat(64)}`;
    await client.auth.test();
    expect(calls.map((c) => c.headers.authorization)).toEqual([`Bearer ${LIVE_KEY}`, `Bearer ${key}`]);
  });

  it('does not retry an invalid key', async () => {
    const { client, calls } = scriptedClient([json(401, { error: { code: 'invalid_api_key', message: 'x' } })]);
    expect(await caught(client.auth.test())).toBeInstanceOf(InvalidApiKeyError);
    expect(calls).toHaveLength(1);
  });

  it('surfaces a NetworkError once retries are used up', async () => {
    const { client, calls } = scriptedClient([networkFailure('ECONNREFUSED'), networkFailure('ECONNREFUSED')], { maxRetries: 1 });
    expect(await caught(client.auth.test())).toBeInstanceOf(NetworkError);
    expect(calls).toHaveLength(2);
  });
});

describe('rate-limit headers', () => {
  it('exposes the last limit, remaining and reset seen on any response', async () => {
    const reset = NOW_MS / 1000 + 1800;
    const { client } = scriptedClient([
      json(200, AUTH_OK, { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '998', 'x-ratelimit-reset': String(reset) }),
      json(200, AUTH_OK),
    ]);
    expect(client.rateLimit).toBeNull();
    await client.auth.test();
    expect(client.rateLimit).toEqual({ limit: 1000, remaining: 998, resetAt: reset * 1000, observedAt: NOW_MS });
    // A response without the headers does not erase what is known.
    await client.auth.test();
    expect(client.rateLimit?.remaining).toBe(998);
  });
});
