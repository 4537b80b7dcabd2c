/** A scripted fetch for client tests: each call takes the next step and is recorded. */
import { createCloudClient, type CloudClientOptions } from '../../../electron/core/cloud/client';

export const LIVE_KEY = `apf_live_${'5eC7e7'.repeat(10)}9f2c`;

export interface RecordedCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

export type Step = Response | Error | ((call: RecordedCall) => Response | Promise<Response>);

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** `fetch failed` the way undici reports it: a TypeError whose cause carries the system code. */
export function networkFailure(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code }) });
}

export function scriptedFetch(steps: Step[]) {
  const calls: RecordedCall[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const step = steps.shift();
    if (step === undefined) throw new Error(`unexpected request ${call.method} ${call.url.pathname}`);
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(call) : step;
  }) as typeof fetch;
  return { fetch: fetchImpl, calls, remaining: () => steps.length };
}

/** A client over scripted responses, with recorded (instant) sleeps and a fixed clock. */
export function scriptedClient(steps: Step[], options: Partial<CloudClientOptions> = {}) {
  const scripted = scriptedFetch(steps);
  const sleeps: number[] = [];
  const client = createCloudClient({
    baseUrl: 'https://api.autoprintfarm.com/v1',
    apiKey: () => LIVE_KEY,
    fetch: scripted.fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 1,
    now: () => Date.UTC(2025, 9, 6, 14, 0, 0),
    ...options,
  });
  return { client, calls: scripted.calls, sleeps, remaining: scripted.remaining };
}

export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
