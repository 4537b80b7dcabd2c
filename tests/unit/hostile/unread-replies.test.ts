import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_LIMITS } from '../../../electron/headless/serve/rpc-connection';
import { startHostileHost, waitUntil, type HostileHost } from './hostile-host';
import { wsText } from '../../../electron/core/rpc/ws-text';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost()));
afterAll(() => host.close());

describe('attack: a client sends requests and never reads the replies', () => {
  it('the host stops reading that socket, holds a bounded amount for it, and answers everything once it reads again', async () => {
    const ws = await host.raw();
    ws.pause(); // the client reads nothing from here on
    // 20 000 requests of about 1 KB (a long id, echoed in each reply): 20 MB, far more than socket buffers hold.
    const total = 20_000;
    const pad = 'x'.repeat(1000);
    const replies: number[] = [];
    ws.on('message', (data) => replies.push(Number.parseInt((JSON.parse(wsText(data)) as { id: string }).id, 10)));
    for (let n = 1; n <= total; n++) ws.send(JSON.stringify({ jsonrpc: '2.0', id: `${n}-${pad}`, method: 'printers.list' }));

    // The host's side of this client fills up to its limit, then it stops reading; the rest waits in the
    // client's own buffers (TCP pushes back), not in the host.
    await waitUntil(() => host.server.clients().some((c) => !c.reading), 10_000, 'the host to stop reading the socket');
    await new Promise((r) => setTimeout(r, 300));
    const [stats] = host.server.clients();
    expect(stats!.reading).toBe(false);
    expect(stats!.inFlight).toBeLessThanOrEqual(CLIENT_LIMITS.maxRequestsInFlight + 64); // plus what one TCP read held
    expect(stats!.unreadBytes).toBeLessThan(CLIENT_LIMITS.maxUnreadBytes);
    expect(ws.bufferedAmount).toBeGreaterThan(0); // the client's sends are stuck on its side

    // Once the client reads, the host reads again and every request gets its reply, in order.
    ws.resume();
    await waitUntil(() => replies.length === total, 30_000, 'all replies');
    expect(replies).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(host.server.clients()[0]!.reading).toBe(true);
    ws.close();
  }, 60_000);

  it('a client that does not read its events is closed with 1008 once it is behind by the limit, and frees its place', async () => {
    const small = await startHostileHost({ limits: { maxUnreadBytes: 256 << 10, pauseReadingAboveBytes: 128 << 10, resumeReadingBelowBytes: 64 << 10 } });
    try {
      const ws = await small.raw();
      ws.pause();
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      const big = 'x'.repeat(64 << 10);
      // Events keep coming (here a burst of them) while the client reads nothing.
      for (let i = 0; i < 400 && small.server.clients().length > 0; i++) {
        small.t.core.events.emit('settings.changed', { theme: 'dark', note: big } as never);
        await new Promise((r) => setImmediate(r));
      }
      expect(small.server.clients()).toEqual([]);
      ws.resume(); // had it kept reading, this is what it would have seen
      expect(await closed).toBe(1008);
    } finally {
      await small.close();
    }
  }, 30_000);
});
