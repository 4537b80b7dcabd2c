import { describe, expect, it } from 'vitest';
import { pairingLink } from '../../../renderer/src/screens/settings/pairing-link';

describe('the pairing QR code link', () => {
  it('opens the first pairing address with the code and the certificate fingerprint to compare', () => {
    const fp = `${'0A:'.repeat(31)}FF`;
    const link = pairingLink({ urls: ['https://192.168.1.20:4780/pair', 'https://farm.local:4780/pair'], code: 'ABCDE-FGH23', fingerprint256: fp });
    const url = new URL(link!);
    expect(`${url.origin}${url.pathname}`).toBe('https://192.168.1.20:4780/pair');
    expect(url.searchParams.get('code')).toBe('ABCDE-FGH23');
    expect(url.searchParams.get('fp')).toBe(fp);
  });

  it('leaves the fingerprint out on plain loopback HTTP, and has no link without an address', () => {
    expect(pairingLink({ urls: ['http://127.0.0.1:4780/pair'], code: 'ABCDE-FGH23', fingerprint256: null })).toBe('http://127.0.0.1:4780/pair?code=ABCDE-FGH23');
    expect(pairingLink({ urls: [], code: 'ABCDE-FGH23', fingerprint256: null })).toBeNull();
  });
});
