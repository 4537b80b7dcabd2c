/** The client's hub calls (register, publish, unlink) against the sandbox over real HTTP on loopback. */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../../electron/core/cloud/client';
import { InvalidStateError, NotFoundError } from '../../../electron/core/cloud/errors';
import { startSandbox } from '../../sandbox/server';
import { hubKey } from '../../sandbox/hub-fixtures';
import { caught } from './fake-fetch';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

async function hubClient(organization?: string) {
  const sb = await startSandbox({ organization: 'Test Farm' });
  sandboxes.push(sb);
  const key = hubKey(sb, organization);
  return { sb, client: createCloudClient({ baseUrl: sb.url, apiKey: () => key, sleep: async () => undefined }) };
}

describe('hubs', () => {
  it('registers a hub once: a repeat answers the same hub, and a name given again renames it', async () => {
    const { client } = await hubClient();
    const hubId = randomUUID();
    const first = await client.hubs.register({ hub_id: hubId, name: 'Room A' });
    expect(first).toMatchObject({ id: hubId, name: 'Room A', is_online: false, printer_ids: [] });
    expect(await client.hubs.register({ hub_id: hubId })).toEqual(first);
    expect((await client.hubs.register({ hub_id: hubId, name: 'Room B' })).name).toBe('Room B');
    expect((await client.hubs.get(hubId)).name).toBe('Room B');
  });

  it('a hub id another organization registered is refused (409, InvalidStateError), not a silent takeover', async () => {
    const { sb, client } = await hubClient();
    const hubId = randomUUID();
    await client.hubs.register({ hub_id: hubId, name: 'Ours' });
    const theirKey = hubKey(sb, 'Another Farm');
    const theirs = createCloudClient({ baseUrl: sb.url, apiKey: () => theirKey, sleep: async () => undefined });
    expect(await caught(theirs.hubs.register({ hub_id: hubId, name: 'Theirs' }))).toBeInstanceOf(InvalidStateError);
  });

  it('publishes a printer idempotently on (hub_id, local_id) and unlinking keeps it for the next register', async () => {
    const { client } = await hubClient();
    const hubId = randomUUID();
    await client.hubs.register({ hub_id: hubId, name: 'Room A' });
    const body = { name: 'Virtual', model: 'Virtual', hub_id: hubId, local_id: 'p-1', connection_type: 'virtual' as const };
    const first = await client.printers.publish(body);
    expect(first).toMatchObject({ hub_id: hubId, local_id: 'p-1', connection_type: 'virtual', name: 'Virtual' });
    const again = await client.printers.publish({ ...body, name: 'Renamed' });
    expect(again).toMatchObject({ id: first.id, name: 'Renamed' });
    expect((await client.hubs.get(hubId)).printer_ids).toEqual([first.id]);

    await client.hubs.delete(hubId);
    expect(await caught(client.hubs.get(hubId))).toBeInstanceOf(NotFoundError);
    await client.hubs.register({ hub_id: hubId });
    expect((await client.printers.publish(body)).id).toBe(first.id);
  });
});
