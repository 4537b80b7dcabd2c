import { describe, expect, it } from 'vitest';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { PrinterConfigs } from '../../../electron/core/printers/printer-configs';

describe('saved printer configs', () => {
  it('skips entries it cannot read but writes them back untouched', () => {
    const future = { id: 'prn_future', name: 'From a newer version', kind: 'teleporter' };
    const store = createMemorySettingsStore({ 'printers.saved': [future, { id: 'prn_a', name: 'A', kind: 'virtual' }] });
    const configs = new PrinterConfigs(store);
    expect(configs.all().map((c) => c.id)).toEqual(['prn_a']);
    expect(configs.skipped).toHaveLength(1);
    configs.add({ kind: 'virtual', name: 'B', embedded: false });
    expect(store.get('printers.saved')).toEqual(expect.arrayContaining([future]));
  });

  it('treats a non-list value as no printers instead of failing', () => {
    const configs = new PrinterConfigs(createMemorySettingsStore({ 'printers.saved': 'oops' }));
    expect(configs.all()).toEqual([]);
  });
});
