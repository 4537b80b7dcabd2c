/**
 * A USB print lives in this process: quitting stops it mid-layer. So closing the last window while one streams
 * keeps the app running in the tray (it goes on printing), and quitting while one streams asks first. With no
 * USB print the platform's habit holds: macOS apps stay open without windows, elsewhere the app quits.
 */
export type WindowsClosedAction = 'quit' | 'keep-running' | 'keep-running-for-print';

export function whenAllWindowsClose(o: { platform: NodeJS.Platform; usbPrintStreaming: boolean }): WindowsClosedAction {
  if (o.usbPrintStreaming) return 'keep-running-for-print';
  return o.platform === 'darwin' ? 'keep-running' : 'quit';
}

export interface QuitQuestion {
  message: string;
  detail: string;
  buttons: [cancel: string, quit: string];
}

/** What to ask before quitting, or null when nothing would be lost. */
export function quitQuestion(usbPrints: readonly string[]): QuitQuestion | null {
  if (usbPrints.length === 0) return null;
  const which = usbPrints.length === 1 ? usbPrints[0]! : `${usbPrints.length} USB printers (${usbPrints.join(', ')})`;
  return {
    message: `Quit and stop the print on ${which}?`,
    detail: 'A USB print is streamed by this app: quitting stops it where it is, and the part is lost. Network printers keep printing on their own.',
    buttons: ['Keep printing', 'Quit and stop the print'],
  };
}
