/**
 * What the cloud may change on a hub, end to end against the sandbox: printers it adds, re-addresses and removes
 * (configure_printer), the hub's name (hub_config), and what happens when the key the hub connected with is
 * deleted while it is connected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { createMemorySettingsStore, type SettingsStore } from '../../../electron/core/ports/settings-store';
import { HUB_SCOPES } from '../../sandbox/hub-fixtures';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { call as rest } from '../../sandbox/test-support';
import { coreCalls } from '../../support/core-calls';
import { connected, removeHubCoreDirs, startHubCore, until } from './hub-sandbox-fixture';

let core: Core | null = null;
let sb: Sandbox | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
  await sb?.close();
  sb = null;
  removeHubCoreDirs();
});

const { call } = coreCalls(() => core!);

/** Every message the hub sent the sandbox, in order. */
function recordHubMessages(): { messages: Record<string, unknown>[]; onHubMessage: (hubId: string, m: Record<string, unknown>) => void } {
  const messages: Record<string, unknown>[] = [];
  return { messages, onHubMessage: (_hubId, m) => void messages.push(m) };
}

/** A sandbox recording what the hub sends, and a core linked to it as a hub and connected. */
async function linkedHub(opts: { settings?: SettingsStore; name?: string } = {}) {
  const seen = recordHubMessages();
  sb = await startSandbox({ organization: 'Test Farm', onHubMessage: seen.onHubMessage });
  const key = sb.createKey({ name: 'Hub', scopes: HUB_SCOPES }).key;
  core = startHubCore(opts.settings ?? createMemorySettingsStore(), key, sb.url);
  const { hubId } = await call('hub.link', opts.name ? { name: opts.name } : undefined);
  await until('connected', () => call('hub.status'), connected);
  return { seen, key, hubId, sb };
}

const ackOf = (messages: Record<string, unknown>[], commandId: string) => async () => messages.find((m) => m.type === 'command_ack' && m.command_id === commandId);

const ACCESS_CODE = 'acc3ss-c0de-1234';

describe('the cloud configures this hub', () => {
  it('adds a Bambu printer with its access code kept in the credential store, never in settings or a message back', async () => {
    const settings = inspectableSettings();
    const { seen, key, hubId, sb } = await linkedHub({ settings });

    const added = await rest(sb, key, 'POST', `/hubs/${hubId}/printers`, {
      connection_type: 'bambu',
      name: 'P1S Left',
      serial_number: '01P00A123456789',
      ip_address: '127.0.0.1',
      access_code: ACCESS_CODE,
    });
    expect(added.status, added.text).toBe(202);
    const { printer: cloudPrinter, command_id } = added.json as { printer: { id: string }; command_id: string };
    const ack = await until('the ack', ackOf(seen.messages, command_id), Boolean);
    const local = (await call('printers.list')).find((p) => p.name === 'P1S Left');
    expect(local).toMatchObject({ kind: 'bambu' });
    expect(ack).toEqual({ type: 'command_ack', command_id, success: true, local_id: local!.id });
    // Published under the cloud's id, and the cloud learnt the hub's own id for it: publishing again is idempotent.
    expect((await call('hub.status')).published).toContainEqual({ printerId: local!.id, cloudPrinterId: cloudPrinter.id });
    expect((await rest(sb, key, 'GET', `/printers/${cloudPrinter.id}`)).json).toMatchObject({ hub_id: hubId, local_id: local!.id });
    expect((await call('hub.publish', { printerId: local!.id, published: true })).published).toContainEqual({ printerId: local!.id, cloudPrinterId: cloudPrinter.id });

    // The code is nowhere in plain text: not in the settings, not in anything the hub sent.
    expect(settings.dump()).not.toContain(ACCESS_CODE);
    expect(JSON.stringify(seen.messages)).not.toContain(ACCESS_CODE);

    // Adding it again (the cloud configured it twice) is the same printer here, not a second one.
    const again = (
      await rest(sb, key, 'POST', `/hubs/${hubId}/printers`, { connection_type: 'bambu', serial_number: '01P00A123456789', ip_address: '127.0.0.1', access_code: ACCESS_CODE })
    ).json as { command_id: string };
    expect(await until('the second ack', ackOf(seen.messages, again.command_id), Boolean)).toMatchObject({ success: true, local_id: local!.id });
    expect((await call('printers.list')).filter((p) => p.kind === 'bambu')).toHaveLength(1);
  }, 30_000);

  it('moves a printer it added to a new address, then removes it here too', async () => {
    const settings = inspectableSettings();
    const { seen, key, hubId, sb } = await linkedHub({ settings });
    const added = (await rest(sb, key, 'POST', `/hubs/${hubId}/printers`, { connection_type: 'moonraker', name: 'Voron', ip_address: '127.0.0.1:7999' })).json as {
      printer: { id: string };
      command_id: string;
    };
    await until('the add ack', ackOf(seen.messages, added.command_id), Boolean);
    const voron = (await call('printers.list')).find((p) => p.name === 'Voron')!;

    const moved = (await rest(sb, key, 'PATCH', `/hubs/${hubId}/printers/${added.printer.id}`, { ip_address: '127.0.0.2' })).json as { command_id: string };
    expect(await until('the update ack', ackOf(seen.messages, moved.command_id), Boolean)).toMatchObject({ success: true });
    // The new host, the port kept.
    expect(settings.savedPrinter(voron.id)).toMatchObject({ kind: 'moonraker', url: 'http://127.0.0.2:7999' });

    const removed = (await rest(sb, key, 'DELETE', `/hubs/${hubId}/printers/${added.printer.id}`)).json as { command_id: string };
    expect(await until('the remove ack', ackOf(seen.messages, removed.command_id), Boolean)).toMatchObject({ success: true });
    expect((await call('printers.list')).map((p) => p.id)).not.toContain(voron.id);
    expect((await call('hub.status')).published.map((p) => p.printerId)).not.toContain(voron.id);
  }, 30_000);

  it("only unpublishes a printer the user added here when the cloud removes it: the user's printer stays", async () => {
    const { seen, key, hubId, sb } = await linkedHub();
    const [mine] = await call('printers.list');
    const cloudId = (await call('hub.publish', { printerId: mine!.id, published: true })).published[0]!.cloudPrinterId;

    const removed = (await rest(sb, key, 'DELETE', `/hubs/${hubId}/printers/${cloudId}`)).json as { command_id: string };
    expect(await until('the remove ack', ackOf(seen.messages, removed.command_id), Boolean)).toMatchObject({ success: true });
    expect((await call('printers.list')).map((p) => p.id)).toContain(mine!.id);
    expect((await call('hub.status')).published).toEqual([]);
  }, 30_000);

  it('refuses what it cannot add, with a reason: a USB printer, or a Bambu printer without its access code', async () => {
    const { seen, key, hubId, sb } = await linkedHub();
    const before = (await call('printers.list')).length;
    const noCode = (await rest(sb, key, 'POST', `/hubs/${hubId}/printers`, { connection_type: 'bambu', serial_number: '01P00A1', ip_address: '127.0.0.1' })).json as {
      command_id: string;
    };
    expect(await until('the ack', ackOf(seen.messages, noCode.command_id), Boolean)).toEqual({
      type: 'command_ack',
      command_id: noCode.command_id,
      success: false,
      error: 'The cloud gave no access code for the Bambu printer.',
    });
    expect((await call('printers.list')).length).toBe(before);
  }, 30_000);

  it('hub_config renames the hub here as the cloud renamed it', async () => {
    const { seen, key, hubId, sb } = await linkedHub({ name: 'Room A' });
    expect((await rest(sb, key, 'PATCH', `/hubs/${hubId}`, { name: 'Room B (print shop)' })).status).toBe(200);
    await until(
      'the new name',
      () => call('hub.status'),
      (s) => s.name === 'Room B (print shop)',
    );
    await until(
      'the ack',
      async () => seen.messages.find((m) => m.type === 'command_ack'),
      (m) => m?.success === true,
    );
  }, 30_000);
});

describe('the key the hub connected with is deleted while it is connected', () => {
  it('the socket ends at once, the hub says why and does not retry with the dead key', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const admin = sb.createKey({ name: 'Admin', scopes: ['admin:*'] }).key;
    const hubKeyRecord = sb.createKey({ name: 'Hub', scopes: HUB_SCOPES });
    core = startHubCore(createMemorySettingsStore(), hubKeyRecord.key, sb.url);
    const { hubId } = await call('hub.link');
    await until('connected', () => call('hub.status'), connected);

    expect((await rest(sb, admin, 'DELETE', `/api-keys/${hubKeyRecord.id}`)).status).toBe(204);
    const refused = await until(
      'the hub to stop',
      () => call('hub.status'),
      (s) => s.state === 'refused',
      5000,
    );
    expect(refused.reason).toMatch(/key it used was revoked or has expired/);
    expect(refused.reason).toMatch(/does nothing for the cloud until it has a working key/);
    expect(sb.connectedHubs()).not.toContain(hubId);
    // It stays stopped: retrying with a deleted key cannot work.
    await new Promise((r) => setTimeout(r, 600));
    expect((await call('hub.status')).state).toBe('refused');
  }, 30_000);
});

/** A settings store whose whole content can be read back, as the settings file on disk would be. */
function inspectableSettings(): SettingsStore & { dump(): string; savedPrinter(id: string): Record<string, unknown> | undefined } {
  const values = new Map<string, unknown>();
  return {
    get: (k) => structuredClone(values.get(k)),
    set: (k, v) => void values.set(k, structuredClone(v)),
    delete: (k) => void values.delete(k),
    dump: () => JSON.stringify([...values]),
    savedPrinter: (id) => (values.get('printers.saved') as Record<string, unknown>[] | undefined)?.find((c) => c.id === id),
  };
}
