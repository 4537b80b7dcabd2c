import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl, normalizeHost } from '../../../electron/core/printers/lan-common/address';
import { Backoff } from '../../../electron/core/printers/lan-common/backoff';
import { sameFile, sentence, uploadName } from '../../../electron/core/printers/lan-common/lan-driver';
import { multipartBody } from '../../../electron/core/printers/lan-common/multipart';

describe('LAN helpers', () => {
  it('doubles the reconnect delay up to its cap and starts over after a success', () => {
    const b = new Backoff({ initialMs: 500, maxMs: 4000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([500, 1000, 2000, 4000, 4000]);
    b.reset();
    expect(b.next()).toBe(500);
  });

  it('turns typed addresses into base URLs and rejects what is not http', () => {
    expect(normalizeBaseUrl('octopi.local')).toBe('http://octopi.local');
    expect(normalizeBaseUrl('192.168.1.5', 7125)).toBe('http://192.168.1.5:7125');
    expect(normalizeBaseUrl('https://farm.example/octoprint/')).toBe('https://farm.example/octoprint');
    expect(() => normalizeBaseUrl('ftp://x')).toThrow(/http/);
    expect(() => normalizeBaseUrl('http://user:pw@x')).toThrow(/password/);
    expect(normalizeHost(' 10.0.0.3 ')).toBe('10.0.0.3');
  });

  it('ends a reason quoted inside a longer message with exactly one full stop', () => {
    expect(sentence('Moonraker at http://x stopped answering.')).toBe('Moonraker at http://x stopped answering.');
    expect(sentence('Klippy Host not connected')).toBe('Klippy Host not connected.');
    expect(sentence('did not answer in time.. ')).toBe('did not answer in time.');
    expect(`Lost contact with the printer: ${sentence('It stopped answering.')} It may still be printing.`).not.toMatch(/\.\.|\.\)/);
  });

  it('matches a reported file to the uploaded one by base name, with or without the extension', () => {
    expect(sameFile('gcodes/sub/Cube.gcode', 'cube.gcode')).toBe(true);
    expect(sameFile('plate', 'plate.gcode.3mf')).toBe(true);
    expect(sameFile('a.gcode', 'b.gcode')).toBe(false);
  });

  it('gives every hostile file name one plain name that cannot leave the folder, split a request or reach a URL raw', async () => {
    const hostile = [
      '../../etc/passwd',
      '..',
      '.',
      '...',
      'a/../b.gcode',
      'C:\\x\\y.gcode',
      'a%2F..%2Fb.gcode',
      'x?y#z.gcode',
      'line\r\nX-Evil: 1.gcode',
      'quo"te.gcode',
      '\u0000nul.gcode',
      '  ',
      '',
    ];
    for (const name of hostile) {
      const safe = uploadName(name);
      // eslint-disable-next-line no-control-regex -- control characters are what is being ruled out
      expect(safe, name).not.toMatch(/[/\\?#%"\u0000-\u001f]/);
      expect(safe, name).not.toMatch(/^\./);
      expect(safe.length, name).toBeGreaterThan(0);
      // And the multipart header that carries it (OctoPrint, Moonraker) stays one header line.
      const head = await firstChunk(multipartBody({}, { field: 'file', fileName: safe, size: 0, open: async function* () {} }).open());
      expect(head.split('\r\n').filter((l) => l.startsWith('Content-Disposition'))).toEqual([`Content-Disposition: form-data; name="file"; filename="${safe}"`]);
    }
    expect(uploadName('Benchy v2 (0.4).gcode')).toBe('Benchy v2 (0.4).gcode');
  });
});

async function firstChunk(stream: AsyncIterable<Uint8Array>): Promise<string> {
  for await (const chunk of stream) return Buffer.from(chunk).toString('utf8');
  return '';
}
