import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AppError, toErrorBody } from '../../../electron/core/errors';
import {
  AbortError,
  ApiKeyConfigError,
  CloudError,
  InsufficientPermissionsError,
  InvalidApiKeyError,
  InvalidRequestError,
  InvalidResponseError,
  InvalidStateError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnexpectedStatusError,
} from '../../../electron/core/cloud/errors';
import { createCloudClient } from '../../../electron/core/cloud/client';
import { LIVE_KEY, caught, json, networkFailure, scriptedClient, type Step } from './fake-fetch';

const NOW_S = Date.UTC(2025, 9, 6, 14, 0, 0) / 1000;

async function errorOf(step: Step, call: 'get' | 'create' = 'get'): Promise<CloudError> {
  const { client } = scriptedClient([step], { maxRetries: 0 });
  const err = await caught(call === 'get' ? client.printers.get('prt_1') : client.printers.create({ name: 'x', model: 'MK4' }));
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

describe('error envelopes', () => {
  it('maps the nested lower-case 401 of v1 to InvalidApiKeyError naming the masked key', async () => {
    const err = await errorOf(json(401, { error: { code: 'invalid_api_key', message: 'The API key provided is invalid' } }));
    expect(err).toBeInstanceOf(InvalidApiKeyError);
    expect(err).toMatchObject({ status: 401, serverCode: 'invalid_api_key', kind: 'invalid_api_key', reason: 'invalid' });
    expect(err.message).toContain('apf_live_…9f2c');
    expect(err.message).toMatch(/Settings → API Keys/);
  });

  it.each([
    ['TOKEN_INVALID', 'invalid'],
    ['TOKEN_REVOKED', 'revoked'],
    ['TOKEN_EXPIRED', 'expired'],
    ['UNAUTHORIZED', 'missing'],
  ] as const)('maps the flat /public/v1 envelope with %s to InvalidApiKeyError (%s)', async (code, reason) => {
    const err = await errorOf(json(401, { success: false, code, error: 'nope' }));
    expect(err).toBeInstanceOf(InvalidApiKeyError);
    expect(err).toMatchObject({ serverCode: code, reason });
  });

  it('maps the nested UPPER_CASE envelope and reads the missing scope from its message', async () => {
    const err = await errorOf(json(403, { success: false, error: { code: 'INSUFFICIENT_SCOPE', message: 'API key missing required scope: read' } }));
    expect(err).toBeInstanceOf(InsufficientPermissionsError);
    expect((err as InsufficientPermissionsError).missingScope).toBe('read');
  });

  it('reads a resource:action scope from the v1 403 message and names it in the advice', async () => {
    const err = await errorOf(json(403, { error: { code: 'insufficient_permissions', message: 'This API key lacks the required scope: printers:write' } }), 'create');
    expect(err).toMatchObject({ missingScope: 'printers:write', code: 'forbidden', status: 403 });
    expect(err.message).toContain('lacks the permission "printers:write" needed for POST /printers');
  });

  it('maps the flat RATE_LIMITED envelope to RateLimitError, taking the wait from X-RateLimit-Reset', async () => {
    const err = await errorOf(
      json(
        429,
        { success: false, code: 'RATE_LIMITED', error: 'Too many requests' },
        {
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(NOW_S + 125),
        },
      ),
    );
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterSeconds).toBe(125);
    expect(err.message).toMatch(/Try again in 3 minutes/);
  });

  it('takes the wait from "Retry after N seconds" in the message when no header says it', async () => {
    const err = await errorOf(json(429, { error: { code: 'rate_limit_exceeded', message: 'Rate limit exceeded. Retry after 3600 seconds' } }));
    expect((err as RateLimitError).retryAfterSeconds).toBe(3600);
  });

  it('keeps the field details of a 400 and shows them in the message', async () => {
    const details = { name: ['is required'], scopes: ['unknown scope: printers:fly'] };
    const err = await errorOf(json(400, { error: { code: 'invalid_request', message: 'Invalid body', details } }), 'create');
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).fieldDetails).toEqual(details);
    expect(err.message).toContain('name: is required; scopes: unknown scope: printers:fly');
    expect(err.code).toBe('invalid_input');
  });

  it('maps a 422 VALIDATION_ERROR of the newer API to InvalidRequestError', async () => {
    const err = await errorOf(json(422, { success: false, error: { code: 'VALIDATION_ERROR', message: 'bad', details: { x: ['y'] } } }));
    expect(err).toBeInstanceOf(InvalidRequestError);
  });

  it.each([
    [404, { error: { code: 'not_found', message: 'Printer not found' } }, NotFoundError],
    [404, { success: false, error: { code: 'PRINTER_NOT_FOUND', message: 'Printer not found' } }, NotFoundError],
    [409, { error: { code: 'invalid_state', message: 'Printer is idle' } }, InvalidStateError],
    // The newer API sends INVALID_STATE with 400: the code decides, not the status.
    [400, { success: false, code: 'INVALID_STATE', error: 'Cannot pause an idle printer' }, InvalidStateError],
    [500, { error: { code: 'internal_error', message: 'boom' } }, ServerError],
    [503, { success: false, error: { code: 'HUB_OFFLINE', message: 'Hub offline' } }, ServerError],
    [405, { error: { code: 'method_not_allowed', message: 'no' } }, UnexpectedStatusError],
  ] as const)('maps HTTP %i %j to the right class', async (status, body, cls) => {
    const err = await errorOf(json(status, body));
    expect(err).toBeInstanceOf(cls);
    expect(err.status).toBe(status);
  });

  it('maps a non-JSON error page to a class by its status', async () => {
    const err = await errorOf(new Response('<html>Bad Gateway</html>', { status: 502 }));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.message).toMatch(/HTTP 502/);
  });

  it('is an AppError, so the UI receives the message and the cloud details rather than "internal"', async () => {
    const err = await errorOf(json(403, { error: { code: 'insufficient_permissions', message: 'This API key lacks the required scope: jobs:read' } }));
    expect(err).toBeInstanceOf(AppError);
    expect(toErrorBody(err)).toEqual({
      code: 'forbidden',
      message: err.message,
      details: { kind: 'insufficient_permissions', status: 403, serverCode: 'insufficient_permissions', missingScope: 'jobs:read' },
    });
    expect(err.name).toBe('InsufficientPermissionsError');
  });
});

describe('malformed answers', () => {
  it('reports a 2xx body that is not JSON as InvalidResponseError', async () => {
    const err = await errorOf(new Response('<html>captive portal</html>', { status: 200 }));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toMatch(/not JSON/);
  });

  it('reports a body of the wrong shape with the failing fields instead of crashing later', async () => {
    const err = await errorOf(json(200, { id: 42, name: 'P1', status: 'idle' }));
    expect(err).toBeInstanceOf(InvalidResponseError);
    const issues = (err as InvalidResponseError).issues.join('\n');
    expect(issues).toMatch(/^id: /m);
    expect(issues).toMatch(/^created_at: /m);
    expect(err.message).toContain('GET /printers/prt_1');
  });

  it('unwraps the {success:true,data} envelope of the newer API', async () => {
    const printer = { id: 'V1StGXR8_Z5jdHi6B-myT', name: 'X1C', status: 'maintenance', created_at: 'a', updated_at: 'b' };
    const { client } = scriptedClient([json(200, { success: true, data: printer })]);
    expect(await client.printers.get('V1StGXR8_Z5jdHi6B-myT')).toEqual(printer);
  });
});

describe('requests refused before sending', () => {
  it.each<[string, () => string | null, RegExp]>([
    ['missing', () => null, /No AutoPrintFarm API key is set/],
    ['malformed', () => 'apf_live_oops', /too short/],
    ['environment_mismatch', () => `apf_dev_${'a'.repeat(64)}`, /expects a key starting with apf_live_ or apf_test_/],
  ])('refuses a %s key without any request', async (problem, apiKey, message) => {
    const { client, calls } = scriptedClient([], { apiKey });
    const err = await caught(client.auth.test());
    expect(err).toBeInstanceOf(ApiKeyConfigError);
    expect(err).toMatchObject({ problem, message: expect.stringMatching(message) });
    expect(calls).toHaveLength(0);
  });

  it('refuses a key of another environment than the configured one', async () => {
    const { client, calls } = scriptedClient([], { environment: 'test' });
    expect(await caught(client.auth.test())).toMatchObject({
      problem: 'environment_mismatch',
      message: expect.stringContaining('expects a key starting with apf_test_'),
    });
    expect(calls).toHaveLength(0);
  });

  it('refuses a plain-http server outside this computer when the client is created', () => {
    expect(() => createCloudClient({ baseUrl: 'http://api.autoprintfarm.com/v1', apiKey: () => LIVE_KEY })).toThrow(ApiKeyConfigError);
  });

  it('refuses a call whose signal is already aborted without any request', async () => {
    const { client, calls } = scriptedClient([]);
    expect(await caught(client.auth.test({ signal: AbortSignal.abort() }))).toBeInstanceOf(AbortError);
    expect(calls).toHaveLength(0);
  });
});

describe('secrets in errors', () => {
  const body = LIVE_KEY.slice('apf_live_'.length);
  const basic = Buffer.from(`${LIVE_KEY}:`).toString('base64');

  function leakText(err: unknown): string {
    const e = err as CloudError;
    return [e.message, String(e), e.stack ?? '', inspect(e, { depth: null }), JSON.stringify(e.toBody()), JSON.stringify(e)].join('\n');
  }

  it.each<[string, Step[]]>([
    ['a server that echoes the key in a 401', [json(401, { error: { code: 'invalid_api_key', message: `Key ${LIVE_KEY} is unknown` } })]],
    ['a server that echoes it in flat form', [json(401, { success: false, code: 'TOKEN_INVALID', error: `bad token ${LIVE_KEY}` })]],
    ['a 400 whose details hold the key', [json(400, { error: { code: 'invalid_request', message: 'no', details: { key: LIVE_KEY, [LIVE_KEY]: 1 } } })]],
    ['a 403 that names the key and scope', [json(403, { error: { code: `insufficient_permissions`, message: `${LIVE_KEY} lacks the required scope: admin:*` } })]],
    ['a server code that carries the key', [json(418, { error: { code: LIVE_KEY, message: basic } })]],
    ['a fetch that throws with the key in its message', [new TypeError(`Headers.append: "Bearer ${LIVE_KEY}" is an invalid header value.`)]],
    ['a fetch whose error cause holds Basic credentials', [new TypeError('fetch failed', { cause: new Error(`Basic ${basic}`) })]],
    ['a malformed 2xx that echoes the key', [json(200, { id: LIVE_KEY })]],
    ['a rate limit message with the key', [json(429, { error: { code: 'rate_limit_exceeded', message: `${LIVE_KEY} slow down` } })]],
  ])('never shows the key: %s', async (_what, steps) => {
    const { client } = scriptedClient(steps, { maxRetries: 0 });
    const err = await caught(client.printers.get('prt_1'));
    expect(err).toBeInstanceOf(CloudError);
    const text = leakText(err);
    expect(text).not.toContain(body);
    expect(text).not.toContain(basic);
    expect(text).not.toContain(body.slice(0, 16));
  });

  it('sends the key only in the Authorization header', async () => {
    const { client, calls } = scriptedClient([json(200, { authenticated: true, key_id: 'key_1', organization: 'Acme' })]);
    await client.auth.test();
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${LIVE_KEY}`);
    expect(calls[0]?.url.href).not.toContain(body);
  });

  it('network errors say which host could not be reached and why', async () => {
    const { client } = scriptedClient([networkFailure('ENOTFOUND')], { maxRetries: 0 });
    const err = await caught(client.auth.test());
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ systemCode: 'ENOTFOUND', beforeSend: true });
    expect((err as Error).message).toMatch(/api\.autoprintfarm\.com \(the name could not be resolved\)/);
  });
});
