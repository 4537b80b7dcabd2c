import { connect } from 'node:tls';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

// A farm PC served on the LAN (TLS, bound to loopback for the test): the admin pairs a second browser as a viewer.
let app: ServedApp;
let browser: Browser;
let admin: Page;
let viewer: Page;

beforeAll(async () => {
  app = await startServe(['--allow-lan', '--host', '127.0.0.1']);
  browser = await launchBrowser();
  // The certificate is self-signed: the test compares its fingerprint itself, as a person would.
  admin = await app.newPage(browser, { viewport: { width: 1280, height: 1000 }, ignoreHTTPSErrors: true });
  viewer = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

function servedFingerprint(url: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('pairing a second device as a viewer', () => {
  it('serves HTTPS and shows the certificate fingerprint under "About this connection"', async () => {
    expect(app.url.startsWith('https://127.0.0.1:')).toBe(true);
    await admin.goto(`${app.url}#/settings`);
    await expect.poll(() => admin.getByTestId('cert-fingerprint').textContent()).toBe(await servedFingerprint(app.url));
    expect(await admin.getByTestId('my-role').textContent()).toContain('Admin');
  });

  it('the admin makes a one-time code for a viewer, and the new browser pairs with it', async () => {
    await admin.getByTestId('pair-label').fill('Wall display');
    await admin.getByTestId('pair-role').selectOption('viewer');
    await admin.getByTestId('pair-device').click();
    const code = (await admin.getByTestId('pairing-code').textContent())!.trim();
    const pairUrl = (await admin.getByTestId('pairing-url').textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(pairUrl).toBe(`${new URL(app.url).origin}/pair`);
    await screenshot(admin, 'pairing-offer');

    // Before pairing, the new browser gets no interface.
    await viewer.goto(app.url);
    expect(await viewer.textContent('h1')).toBe('This device is not paired');
    await viewer.goto(pairUrl);
    await viewer.fill('input[name=code]', code.toLowerCase());
    await viewer.click('button[type=submit]');
    await expect.poll(() => viewer.getByTestId('connection-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('open');
  });

  it('the viewer sees the fleet but no key, printer-management or control buttons', async () => {
    await expect.poll(() => viewer.getByTestId('printer-card').count()).toBe(1);
    await expect.poll(() => viewer.getByTestId('session-role').textContent()).toContain('viewer');
    expect(await viewer.getByRole('link', { name: 'Keys' }).count()).toBe(0);
    expect(await viewer.getByTestId('add-network-printer').count()).toBe(0);
    await viewer.goto(`${app.url}#/keys`);
    await expect.poll(() => viewer.getByTestId('keys-not-allowed').count()).toBe(1);
    await viewer.getByRole('link', { name: 'Fleet' }).click();
    await viewer.getByTestId('printer-card').first().click();
    await expect.poll(() => viewer.locator('h1').textContent()).toBe('Virtual Printer');
    expect(await viewer.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Disconnect' }).count()).toBe(0);
    await screenshot(viewer, 'viewer-printer');
    // Nor the queue's, the library's or the cloud's controls; and no prompt to set up the cloud.
    expect(await viewer.getByTestId('setup-banner').count()).toBe(0);
    await viewer.goto(`${app.url}#/library`);
    await expect.poll(() => viewer.locator('h1').textContent()).toBe('Library');
    expect(await viewer.locator('label[for="library-file-input"]').isVisible()).toBe(false);
    await viewer.goto(`${app.url}#/cloud`);
    await expect.poll(() => viewer.locator('h1').textContent()).toBe('Cloud');
    expect(await viewer.getByRole('button', { name: 'Link this computer as a hub' }).isVisible()).toBe(false);
    expect(await viewer.getByTestId('sign-in').count()).toBe(0);
    // The spools are shown, but nothing that adds, imports, loads or archives one.
    await viewer.goto(`${app.url}#/spools`);
    await expect.poll(() => viewer.locator('h1').textContent()).toBe('Spools');
    expect(await viewer.getByTestId('spool-add').count()).toBe(0);
    expect(await viewer.getByTestId('spools-import').count()).toBe(0);
    expect(await viewer.getByTestId('spools-export').count()).toBe(1);
  });

  it('a key RPC sent by hand from the viewer is refused by the host', async () => {
    const replies = await viewer.evaluate(async () => {
      const ws = new WebSocket(`wss://${location.host}/rpc`);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const ask = (id: number, method: string, params: object) =>
        new Promise<unknown>((resolve) => {
          ws.addEventListener('message', (ev) => {
            const msg = JSON.parse(String(ev.data)) as { id?: number };
            if (msg.id === id) resolve(msg);
          });
          ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
        });
      const spool = { material: 'PLA', colourHex: '#000000', diameterMm: 1.75, densityGCm3: 1.24, netWeightG: 1000, remainingG: 1000 };
      const out = [
        await ask(1, 'keys.list', {}),
        await ask(2, 'access.pair', { role: 'admin', label: 'me' }),
        await ask(3, 'printers.list', {}),
        await ask(4, 'spools.create', spool),
        await ask(5, 'spools.list', {}),
      ];
      ws.close();
      return out as { error?: { data?: { code?: string } }; result?: unknown }[];
    });
    expect(replies[0]!.error?.data?.code).toBe('forbidden');
    expect(replies[1]!.error?.data?.code).toBe('forbidden');
    expect(replies[2]!.result).toBeInstanceOf(Array);
    expect(replies[3]!.error?.data?.code).toBe('forbidden');
    expect(replies[4]!.result).toEqual([]);
  });

  it('the admin sees the viewer among the devices and the pairing in the audit log, and revoking it cuts the viewer off', async () => {
    await admin.reload();
    await admin.goto(`${app.url}#/settings`);
    const row = admin.getByTestId('session-row').filter({ hasText: 'Wall display' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('viewer');
    await expect.poll(() => admin.getByTestId('audit-row').filter({ hasText: 'access.pair' }).count()).toBeGreaterThan(0);
    admin.once('dialog', (d) => void d.accept());
    await row.getByTestId('revoke-session').click();
    await expect.poll(() => viewer.getByTestId('connection-state').getAttribute('data-state')).toBe('closed');
    await viewer.reload();
    expect(await viewer.textContent('h1')).toBe('This device is not paired');
  });
});

describe('pairing a phone by its QR code', () => {
  it('the phone scans the code on the admin screen, finds the code filled in, and pairs as a viewer that cannot touch a key', async () => {
    await admin.goto(`${app.url}#/settings`);
    await admin.getByTestId('pair-label').fill('Phone');
    await admin.getByTestId('pair-role').selectOption('viewer');
    await admin.getByTestId('pair-device').click();
    const code = (await admin.getByTestId('pairing-code').textContent())!.trim();
    const qr = admin.getByTestId('pairing-qr');
    await expect.poll(() => qr.count()).toBe(1);
    await screenshot(admin, 'pairing-offer-qr');
    // What a phone's camera would read: the picture on the screen, decoded.
    const png = PNG.sync.read(await qr.screenshot());
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(scanned, 'the QR code decodes').not.toBeNull();
    const link = new URL(scanned!.data);
    expect(`${link.origin}${link.pathname}`).toBe(`${new URL(app.url).origin}/pair`);
    expect(link.searchParams.get('code')).toBe(code);
    expect(link.searchParams.get('fp')).toBe(await servedFingerprint(app.url));

    const phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
      ignoreHTTPSErrors: true,
    });
    const phone = await phoneContext.newPage();
    await phone.goto(link.href);
    expect(await phone.inputValue('input[name=code]')).toBe(code);
    expect(await phone.textContent('body')).toContain(link.searchParams.get('fp')!);
    await screenshot(phone, 'phone-pair-form');
    await phone.tap('button[type=submit]');
    await expect.poll(() => phone.getByTestId('connection-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('open');
    await expect.poll(() => phone.getByTestId('printer-card').count()).toBe(1);
    expect(await phone.getByRole('link', { name: 'Keys' }).count()).toBe(0);
    await phone.goto(`${app.url}#/keys`);
    await expect.poll(() => phone.getByTestId('keys-not-allowed').count()).toBe(1);
    await phone.goto(`${app.url}#/fleet`);
    await screenshot(phone, 'phone-viewer-fleet');
    await phoneContext.close();
  });
});
