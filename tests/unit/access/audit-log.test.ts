import { afterAll, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../../electron/core/contract';
import { auditSummary, csvCell } from '../../../electron/core/access';
import { createTestCore } from '../../support/test-core';

const t = createTestCore();
afterAll(() => t.core.close());
const all = { capabilities: new Set(CAPABILITIES) };

describe('the audit log', () => {
  it('summarises a call by naming secret fields without their values', () => {
    expect(auditSummary({ printerId: 'p1', secret: 'hunter2', url: 'http://user:pw@octo.local' })).toBe('printerId="p1", secret=…, url=…');
    expect(auditSummary({ name: 'Voron', kind: 'moonraker', apiKey: 'abc', accessCode: '12345678' })).toBe('name="Voron", kind="moonraker", apiKey=…, accessCode=…');
  });

  it('records admin calls with who, what and the outcome, never the secret', async () => {
    await t.core.dispatch('printers.updateCredential', { printerId: 'nope', secret: 'TOP-SECRET-CODE' }, { ...all, actor: { sessionId: 'a1b2c3d4-x', label: 'Phone' } });
    await t.core.dispatch('settings.update', { theme: 'dark' }, all);
    await t.core.dispatch('printers.list', undefined, all);
    const entries = (await t.core.dispatch('access.audit', undefined, all)) as { ok: true; result: { method: string; actor: string; summary: string; outcome: string }[] };
    expect(entries.result.map((e) => e.method)).toEqual(['settings.update', 'printers.updateCredential']);
    expect(entries.result[1]).toMatchObject({ actor: 'Phone (a1b2c3d4)', summary: 'printerId="nope", secret=…', outcome: 'not_found' });
    expect(entries.result[0]).toMatchObject({ actor: 'Local call', summary: 'theme="dark"', outcome: 'ok' });
    const csv = (await t.core.dispatch('access.auditCsv', undefined, all)) as { ok: true; result: { csv: string; rows: number } };
    expect(csv.result.rows).toBe(2);
    expect(csv.result.csv).not.toContain('TOP-SECRET-CODE');
    expect(csv.result.csv.split('\r\n')[0]).toBe('id,time,session,actor,method,summary,outcome');
  });

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(3)).toBe('3');
  });
});
