/** Setting up hubs in a sandbox over its REST API, for the hub conformance tests. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { HubTestClient } from '../support/hub-test-client';
import type { Sandbox } from './server';
import { call } from './test-support';

export const HUB_SCOPES = ['printers:read', 'printers:write', 'jobs:read', 'jobs:write'];

/** A key a hub would hold: read and write on printers and jobs. */
export function hubKey(sb: Sandbox, organization?: string): string {
  return sb.createKey({ name: 'Hub', scopes: HUB_SCOPES, organization }).key;
}

export async function registerHub(sb: Sandbox, key: string, name = 'Room A'): Promise<string> {
  const hubId = randomUUID();
  const res = await call(sb, key, 'POST', '/hubs/register', { hub_id: hubId, name });
  expect(res.status, res.text).toBe(201);
  return hubId;
}

export async function publishPrinter(
  sb: Sandbox,
  key: string,
  hubId: string,
  localId: string,
  extra: Record<string, unknown> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever fields the printer has
): Promise<{ id: string } & Record<string, any>> {
  const res = await call(sb, key, 'POST', '/printers', {
    name: `Printer ${localId}`,
    model: 'MK4',
    hub_id: hubId,
    local_id: localId,
    connection_type: 'virtual',
    ...extra,
  });
  expect(res.status, res.text).toBeLessThan(300);
  return res.json;
}

/** A registered hub with `printers` published printers and its socket greeted. */
export async function connectedHub(sb: Sandbox, key: string, printers = 1): Promise<{ hubId: string; hub: HubTestClient; printerIds: string[] }> {
  const hubId = await registerHub(sb, key);
  const printerIds: string[] = [];
  for (let i = 0; i < printers; i++) printerIds.push((await publishPrinter(sb, key, hubId, `local-${i}`)).id);
  const hub = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
  return { hubId, hub, printerIds };
}

/** Uploads bytes as a print file and returns its id. */
export async function uploadFile(sb: Sandbox, key: string, name: string, bytes: Buffer | string): Promise<{ id: string; sha256: string; size_bytes: number }> {
  const res = await fetch(`${sb.url}/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'X-File-Name': encodeURIComponent(name), 'Content-Type': 'application/octet-stream' },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json;
}

/** Polls until `read` returns something `done` accepts (state the socket changes arrives asynchronously). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
