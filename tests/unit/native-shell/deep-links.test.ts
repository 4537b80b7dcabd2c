import { describe, expect, it } from 'vitest';
import { linksInArgv, parseDeepLink, printerRouteHash, routeHashFor } from '../../../electron/core/native-shell/deep-links';
import { parseRoute } from '../../../renderer/src/store/route';

describe('autoprintfarm:// links', () => {
  it('open a printer, a screen, or the fleet', () => {
    expect(parseDeepLink('autoprintfarm://printer/p-1')).toEqual({ kind: 'printer', printerId: 'p-1' });
    expect(parseDeepLink('autoprintfarm://printers/p-1/')).toEqual({ kind: 'printer', printerId: 'p-1' });
    expect(parseDeepLink('autoprintfarm://jobs')).toEqual({ kind: 'screen', screen: 'jobs' });
    expect(parseDeepLink('autoprintfarm://open')).toEqual({ kind: 'screen', screen: 'fleet' });
    expect(parseDeepLink('AUTOPRINTFARM://history')).toEqual({ kind: 'screen', screen: 'history' });
  });

  it("hand the sign-in return's query over untouched, for the sign-in flow to check", () => {
    expect(parseDeepLink('autoprintfarm://sign-in?code=abc&state=xyz')).toEqual({ kind: 'sign-in', params: { code: 'abc', state: 'xyz' } });
  });

  it('refuse anything else: other schemes, unknown places, extra path, credentials, odd ids, huge input', () => {
    for (const bad of [
      'https://autoprintfarm.com/printer/x',
      'file:///etc/passwd',
      'autoprintfarm://delete-everything',
      'autoprintfarm://printer',
      'autoprintfarm://printer/a/b',
      'autoprintfarm://user:pw@printer/a',
      'autoprintfarm://printer/..%2F..%2Fx',
      'autoprintfarm://printer/%E0%A4%A',
      `autoprintfarm://printer/${'a'.repeat(65)}`,
      `autoprintfarm://jobs?${'a'.repeat(3000)}`,
      'not a url',
    ]) {
      expect(parseDeepLink(bad), bad).toBeNull();
    }
  });

  it("are found among a second launch's arguments", () => {
    expect(linksInArgv(['/opt/AutoPrintFarm/autoprintfarm', '--no-sandbox', 'autoprintfarm://printer/p1', '.'])).toEqual(['autoprintfarm://printer/p1']);
    expect(linksInArgv(['C:\\AutoPrintFarm.exe'])).toEqual([]);
  });

  it("lead to the renderer's own routes", () => {
    expect(parseRoute(routeHashFor({ kind: 'printer', printerId: 'p 1/x' }))).toEqual({ name: 'printer', printerId: 'p 1/x' });
    expect(parseRoute(printerRouteHash('abc'))).toEqual({ name: 'printer', printerId: 'abc' });
    expect(parseRoute(routeHashFor({ kind: 'screen', screen: 'library' }))).toEqual({ name: 'library' });
  });
});
