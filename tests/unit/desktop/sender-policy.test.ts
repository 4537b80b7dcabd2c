import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/desktop/sender-policy';

const packaged = { packaged: true, devOrigin: null };

function eventFrom(url: string, opts: { subframe?: boolean; destroyed?: boolean } = {}) {
  const mainFrame = { url };
  const senderFrame = opts.destroyed ? null : opts.subframe ? { url } : mainFrame;
  return { senderFrame, sender: { mainFrame } };
}

describe('the IPC sender check', () => {
  it("accepts the app's own top frame", () => {
    expect(isTrustedSender(eventFrom('app://renderer/index.html'), packaged)).toBe(true);
    expect(isTrustedSender(eventFrom('app://renderer/#/printers/x'), packaged)).toBe(true);
  });

  it('rejects other origins, look-alikes and file URLs', () => {
    for (const url of [
      'https://evil.example/',
      'app://evil/index.html',
      'app://renderer.evil/index.html',
      'file:///index.html',
      'http://127.0.0.1:5173/',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isTrustedSender(eventFrom(url), packaged), url).toBe(false);
    }
  });

  it('rejects a subframe even when it claims the app origin', () => {
    expect(isTrustedSender(eventFrom('app://renderer/index.html', { subframe: true }), packaged)).toBe(false);
  });

  it('rejects a call whose frame is already gone', () => {
    expect(isTrustedSender(eventFrom('app://renderer/index.html', { destroyed: true }), packaged)).toBe(false);
  });

  it('accepts the Vite dev origin only in an unpackaged build', () => {
    const dev = 'http://localhost:5173/';
    expect(isTrustedSender(eventFrom(dev), { packaged: false, devOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedSender(eventFrom(dev), { packaged: true, devOrigin: 'http://localhost:5173' })).toBe(false);
  });
});
