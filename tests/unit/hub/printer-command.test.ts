import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import { runPrinterCommand, type PrinterCommand, type PrinterCommandDeps } from '../../../electron/core/hub/printer-command';

function deps(overrides: Partial<PrinterCommandDeps> = {}) {
  const calls: string[] = [];
  const sent: Record<string, unknown>[] = [];
  const d: PrinterCommandDeps = {
    localPrinterOf: (id) => (id === 'cp-1' ? 'local-1' : null),
    pause: async (p) => void calls.push(`pause ${p}`),
    resume: async (p) => void calls.push(`resume ${p}`),
    stop: async (p) => void calls.push(`stop ${p}`),
    confirmBedClear: (p) => void calls.push(`clear ${p}`),
    setLight: async (p, on) => void calls.push(`light ${p} ${on}`),
    send: (m) => (sent.push(m), true),
    ...overrides,
  };
  return { d, calls, sent };
}

const cmd = (action: PrinterCommand['action'], printer_id = 'cp-1'): PrinterCommand => ({ type: 'printer_command', command_id: `c-${action}`, printer_id, action });

describe('a printer_command from the cloud', () => {
  it("runs each action through the app's own operation on the local printer, and acknowledges it", async () => {
    const { d, calls, sent } = deps();
    for (const a of ['pause', 'resume', 'stop', 'clear_bed', 'light_on', 'light_off'] as const) await runPrinterCommand(cmd(a), d);
    expect(calls).toEqual(['pause local-1', 'resume local-1', 'stop local-1', 'clear local-1', 'light local-1 true', 'light local-1 false']);
    expect(sent.every((m) => m.type === 'command_ack' && m.success === true)).toBe(true);
  });

  it("acknowledges a failure with the app's own words", async () => {
    const { d, sent } = deps({ pause: async () => Promise.reject(new AppError('conflict', 'No print is running on this printer.')) });
    await runPrinterCommand(cmd('pause'), d);
    expect(sent).toEqual([{ type: 'command_ack', command_id: 'c-pause', success: false, error: 'No print is running on this printer.' }]);
  });

  it('refuses a printer this hub does not publish, and an action it does not know', async () => {
    const { d, calls, sent } = deps();
    await runPrinterCommand(cmd('stop', 'cp-9'), d);
    await runPrinterCommand({ ...cmd('stop'), action: 'explode' as never }, d);
    expect(calls).toEqual([]);
    expect(sent.map((m) => m.error)).toEqual(['This hub does not publish the printer cp-9.', 'Unknown printer action "explode".']);
  });
});
