import { afterEach, describe, expect, it } from 'vitest';
import { CAPABILITIES, METHOD_NAMES, methods } from '../../../electron/core/contract';
import { createTestCore, type TestCore } from '../../support/test-core';

const all = { capabilities: new Set(CAPABILITIES) };
let t: TestCore;
afterEach(async () => t?.core.close());

describe('the dispatcher', () => {
  it('answers an unknown method with unknown_method instead of throwing', async () => {
    t = createTestCore();
    const out = await t.core.dispatch('printers.explode', {}, all);
    expect(out).toEqual({ ok: false, error: { code: 'unknown_method', message: 'There is no method called "printers.explode".' } });
  });

  it('returns invalid_input with the failing field for malformed input', async () => {
    t = createTestCore();
    const out = await t.core.dispatch('printers.setTemperature', { printerId: 'x', heater: 'hotend', celsius: 'hot' }, all);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.code).toBe('invalid_input');
      expect(out.error.message).toContain('celsius');
    }
  });

  it('rejects a temperature above the heater limit with a message naming the limit', async () => {
    t = createTestCore();
    const out = await t.core.dispatch('printers.setTemperature', { printerId: 'x', heater: 'bed', celsius: 200 }, all);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toMatch(/bed 150 °C/);
  });

  it('rejects unknown extra fields, so a typo in a field name is not silently ignored', async () => {
    t = createTestCore();
    const out = await t.core.dispatch('settings.update', { theme: 'dark', colour: 'red' }, all);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe('invalid_input');
  });

  it('refuses a method whose capability the session lacks', async () => {
    t = createTestCore();
    const out = await t.core.dispatch('printers.addVirtual', { name: 'A' }, { capabilities: new Set(['fleet:read'] as const) });
    expect(out).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('survives every method called with hostile inputs and always answers with a structured outcome', async () => {
    t = createTestCore();
    const hostile: unknown[] = [
      null,
      42,
      'x',
      [],
      { __proto__: { admin: true } },
      { printerId: 'a'.repeat(10_000) },
      { printerId: { $gt: '' } },
      JSON.parse('{"constructor":{"prototype":{"x":1}}}'),
    ];
    for (const method of METHOD_NAMES) {
      for (const input of hostile) {
        const out = await t.core.dispatch(method, input, all);
        expect(typeof out.ok).toBe('boolean');
        if (!out.ok) expect(out.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
      }
    }
    expect(t.errors).toEqual([]);
  });

  it('turns an unexpected handler failure into internal without leaking its message', async () => {
    t = createTestCore();
    const id = t.core.handlers['printers.list'];
    t.core.handlers['printers.list'] = async () => {
      throw new Error('secret path /home/alice/apf_live_abcdef0123456789');
    };
    // The dispatcher captured the handler map by reference, so the replacement is what runs.
    const out = await t.core.dispatch('printers.list', undefined, all);
    t.core.handlers['printers.list'] = id;
    expect(out).toEqual({ ok: false, error: { code: 'internal', message: expect.not.stringContaining('apf_live') } });
    expect(t.errors).toHaveLength(1);
  });

  it('declares a capability and an input schema for every method in the catalog', () => {
    for (const name of METHOD_NAMES) {
      expect(methods[name].input).toBeDefined();
      expect(CAPABILITIES).toContain(methods[name].capability);
    }
  });
});
