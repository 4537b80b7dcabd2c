import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { call, FakeClock, sandboxFor } from './test-support';

const HOUR = 3600_000;

describe('per-key hourly rate limit', () => {
  const clock = new FakeClock(); // 10:30:00Z, so the window resets at 11:00:00Z
  const windowEnd = Date.UTC(2025, 0, 15, 11, 0, 0);
  let sb: Sandbox & { admin: string };
  beforeAll(async () => {
    sb = await sandboxFor({ now: clock.now, rateLimitPerHour: 3 });
  });
  afterAll(() => sb.close());

  it('counts down X-RateLimit-Remaining, then answers 429 with Retry-After until the hour ends', async () => {
    const k = sb.createKey({ name: 'busy', scopes: ['printers:read'] });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(sb, k.key, 'GET', '/printers');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(res.headers.get('x-ratelimit-reset')).toBe(String(windowEnd / 1000));
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    clock.advance(10 * 60_000 + 500); // 10:40:00.5Z: 19 min 59.5 s left, rounded up
    const limited = await call(sb, k.key, 'GET', '/printers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1200');
    expect(limited.text).toBe('{"error":{"code":"rate_limit_exceeded","message":"Rate limit exceeded. Retry after 1200 seconds"}}');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(windowEnd / 1000));

    clock.t = windowEnd;
    const fresh = await call(sb, k.key, 'GET', '/printers');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(fresh.headers.get('x-ratelimit-reset')).toBe(String((windowEnd + HOUR) / 1000));
  });

  it('limits each key on its own', async () => {
    const a = sb.createKey({ name: 'a', scopes: ['jobs:read'] });
    const b = sb.createKey({ name: 'b', scopes: ['jobs:read'] });
    for (let i = 0; i < 3; i++) expect((await call(sb, a.key, 'GET', '/jobs')).status).toBe(200);
    expect((await call(sb, a.key, 'GET', '/jobs')).status).toBe(429);
    const other = await call(sb, b.key, 'GET', '/jobs');
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('counts forbidden requests too, since the key was valid', async () => {
    const k = sb.createKey({ name: 'forbidden', scopes: ['jobs:read'] });
    for (let i = 0; i < 3; i++) expect((await call(sb, k.key, 'GET', '/printers')).status).toBe(403);
    expect((await call(sb, k.key, 'GET', '/jobs')).status).toBe(429);
  });

  it('sends X-RateLimit headers on 401, 404 and error responses too', async () => {
    const answers = [
      await call(sb, null, 'GET', '/printers'),
      await call({ url: sb.url.replace(/\/v1$/, '') }, null, 'GET', '/elsewhere'),
      await call(sb, sb.admin, 'GET', '/printers/prt_missing'),
      await call(sb, sb.admin, 'POST', '/printers', '{not json'),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 404, 404, 400]);
    for (const a of answers) {
      expect(a.headers.get('x-ratelimit-limit')).toBe('3');
      expect(a.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(a.headers.get('x-ratelimit-reset')).toMatch(/^\d{10}$/);
    }
  });
});
