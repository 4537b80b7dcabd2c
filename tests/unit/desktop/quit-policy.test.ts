import { describe, expect, it } from 'vitest';
import { quitQuestion, whenAllWindowsClose } from '../../../electron/core/native-shell/quit-policy';

describe('closing and quitting while a USB print streams', () => {
  it('keeps the app running in the tray when the last window closes during a USB print, on every platform', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) expect(whenAllWindowsClose({ platform, usbPrintStreaming: true })).toBe('keep-running-for-print');
  });

  it('otherwise quits on Windows and Linux and stays open on macOS, as each platform does', () => {
    expect(whenAllWindowsClose({ platform: 'win32', usbPrintStreaming: false })).toBe('quit');
    expect(whenAllWindowsClose({ platform: 'linux', usbPrintStreaming: false })).toBe('quit');
    expect(whenAllWindowsClose({ platform: 'darwin', usbPrintStreaming: false })).toBe('keep-running');
  });

  it('asks before quitting only when a USB print would be lost, naming the printers, with keeping on as the first choice', () => {
    expect(quitQuestion([])).toBeNull();
    expect(quitQuestion(['Bench Marlin'])).toMatchObject({ message: 'Quit and stop the print on Bench Marlin?', buttons: ['Keep printing', 'Quit and stop the print'] });
    expect(quitQuestion(['A', 'B'])?.message).toBe('Quit and stop the print on 2 USB printers (A, B)?');
  });
});
