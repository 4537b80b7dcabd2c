import { describe, expect, it } from 'vitest';
import { reviewScopes, scopeCovers } from '../../../electron/core/cloud-account/scopes';
import { KEY_PRESETS } from '../../../electron/core/contract/keys-types';

describe('scopes', () => {
  it('a resource wildcard covers every action on that resource only; admin:* covers everything', () => {
    expect(scopeCovers(['printers:*'], 'printers:write')).toBe(true);
    expect(scopeCovers(['printers:*'], 'jobs:read')).toBe(false);
    expect(scopeCovers(['admin:*'], 'webhooks:write')).toBe(true);
    expect(scopeCovers(['Printers:Read'], 'printers:read')).toBe(false);
  });

  it('reviews an admin key as able to do everything, including keys, with a warning', () => {
    const r = reviewScopes(['admin:*'], 'headless');
    expect(r.can).toHaveLength(9);
    expect(r.can.at(-1)).toMatch(/revoke the API keys/);
    expect(r.cannot).toEqual([]);
    expect(r.warnings[0]).toMatch(/through this host/);
  });

  it('reviews printers:* as controlling and viewing printers but nothing else', () => {
    const r = reviewScopes(['printers:*'], 'desktop');
    expect(r.can).toHaveLength(2);
    expect(r.cannot.join(' ')).toMatch(/jobs:read.*jobs:write.*analytics:read.*webhooks:write.*materials:read.*materials:write.*admin:\*/);
  });

  it('flags unknown permissions and a key without any', () => {
    expect(reviewScopes(['printers:read', 'telemetry:read'], 'desktop').warnings[0]).toMatch(/telemetry:read/);
    expect(reviewScopes([], 'desktop').warnings[0]).toMatch(/no permissions/);
  });

  it('presets follow least privilege: only the admin preset holds admin:*', () => {
    expect(KEY_PRESETS.filter((p) => p.scopes.includes('admin:*')).map((p) => p.id)).toEqual(['admin']);
    expect(KEY_PRESETS.find((p) => p.id === 'submitter')?.scopes).toEqual(['jobs:write', 'printers:read']);
  });
});
