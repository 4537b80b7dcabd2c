import { describe, expect, it } from 'vitest';
import { createOriginPolicy, isAllowedHost, isAllowedOrigin, isLoopbackHost } from '../../../electron/headless/serve/origin-policy';

describe('the headless origin policy', () => {
  const loopback = createOriginPolicy({ port: 4780, bindHost: '127.0.0.1', allowLan: false });

  it('accepts loopback names on its own port', () => {
    for (const host of ['127.0.0.1:4780', 'localhost:4780', '[::1]:4780', 'LOCALHOST:4780']) expect(isAllowedHost(loopback, host)).toBe(true);
  });

  it('rejects a foreign Host header, as a DNS-rebinding page would send', () => {
    for (const host of ['evil.example:4780', '127.0.0.1:80', '127.0.0.1', '192.168.1.5:4780', undefined, '']) expect(isAllowedHost(loopback, host)).toBe(false);
  });

  it('accepts IP-literal hosts on its port only when LAN access was allowed', () => {
    const lan = createOriginPolicy({ port: 4780, bindHost: '0.0.0.0', allowLan: true, hostnames: ['farm-pc'] });
    expect(isAllowedHost(lan, '192.168.1.5:4780')).toBe(true);
    expect(isAllowedHost(lan, 'farm-pc:4780')).toBe(true);
    expect(isAllowedHost(lan, 'evil.example:4780')).toBe(false);
    expect(isAllowedHost(lan, '192.168.1.5:9999')).toBe(false);
  });

  it('accepts a WebSocket only from a page of the same origin', () => {
    expect(isAllowedOrigin(loopback, 'http://127.0.0.1:4780', '127.0.0.1:4780')).toBe(true);
    expect(isAllowedOrigin(loopback, undefined, '127.0.0.1:4780')).toBe(true);
    expect(isAllowedOrigin(loopback, 'http://evil.example', '127.0.0.1:4780')).toBe(false);
    expect(isAllowedOrigin(loopback, 'http://localhost:4780', '127.0.0.1:4780')).toBe(false);
    expect(isAllowedOrigin(loopback, 'null', '127.0.0.1:4780')).toBe(false);
  });

  it('knows which bind addresses are loopback', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.5.5.5')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.5')).toBe(false);
  });
});

describe('the origin policy over TLS', () => {
  it('accepts only https origins on an https port', () => {
    const tls = createOriginPolicy({ port: 4780, bindHost: '0.0.0.0', allowLan: true, scheme: 'https' });
    expect(isAllowedOrigin(tls, 'https://192.168.1.5:4780', '192.168.1.5:4780')).toBe(true);
    expect(isAllowedOrigin(tls, 'http://192.168.1.5:4780', '192.168.1.5:4780')).toBe(false);
  });
});
