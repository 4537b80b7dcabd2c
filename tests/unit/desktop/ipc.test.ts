import { beforeEach, describe, expect, it, vi } from 'vitest';

// The real 'electron' package only exports a binary path under Node; the IPC binding is tested against a fake.
const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({ ipcMain: { handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => void handlers.set(channel, fn) } }));

const { ipcMain } = await import('electron');
const { bindIpc } = await import('../../../electron/desktop/ipc');
const { METHOD_NAMES, methodChannel } = await import('../../../electron/core/contract');
const { isTrustedSender } = await import('../../../electron/desktop/sender-policy');
const { createTestCore } = await import('../../support/test-core');

describe('the IPC binding', () => {
  beforeEach(() => handlers.clear());

  function bind() {
    const t = createTestCore();
    bindIpc(ipcMain, t.core.dispatch, (e) => isTrustedSender(e, { packaged: true, devOrigin: null }));
    return t;
  }
  const frame = (url: string) => {
    const mainFrame = { url };
    return { senderFrame: mainFrame, sender: { mainFrame } };
  };

  it('registers one channel per contract method', () => {
    bind();
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map(methodChannel).sort());
  });

  it('serves a call from the app window', async () => {
    const t = bind();
    const out = await handlers.get(methodChannel('printers.list'))!(frame('app://renderer/index.html'), undefined);
    expect(out).toMatchObject({ ok: true, result: [expect.objectContaining({ embedded: true })] });
    await t.core.close();
  });

  it('refuses a call from a foreign frame without running it', async () => {
    const t = bind();
    const out = await handlers.get(methodChannel('printers.addVirtual'))!(frame('https://evil.example/'), { name: 'x' });
    expect(out).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(t.drivers).toHaveLength(1);
    await t.core.close();
  });

  it('returns invalid_input for malformed input instead of throwing across IPC', async () => {
    const t = bind();
    const out = await handlers.get(methodChannel('printers.home'))!(frame('app://renderer/'), { printerId: 5, axes: ['w'] });
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await t.core.close();
  });
});
