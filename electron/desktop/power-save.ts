import type { PowerSaveBlocker } from 'electron';

/**
 * Keeps the computer awake while a USB print streams: the app sends the printer every line, so a PC that
 * sleeps mid-print ruins the print. 'prevent-app-suspension' stops system sleep but lets the screen turn off.
 * LAN printers print on their own and hold nothing. Re-checked on each print activity; released at once when
 * the last USB print ends, and on stop.
 */
export function holdAwakeWhileUsbPrints(deps: {
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop' | 'isStarted'>;
  usbPrintStreaming: () => boolean;
  onPrintActivity: (listener: () => void) => () => void;
  log: (line: string) => void;
}): () => void {
  let blocker: number | null = null;
  const update = () => {
    const streaming = deps.usbPrintStreaming();
    if (streaming && blocker === null) {
      blocker = deps.powerSaveBlocker.start('prevent-app-suspension');
      deps.log('A USB print is streaming: system sleep is held off until it ends.');
    } else if (!streaming && blocker !== null) {
      release();
      deps.log('No USB print is streaming: system sleep is allowed again.');
    }
  };
  const release = () => {
    if (blocker !== null && deps.powerSaveBlocker.isStarted(blocker)) deps.powerSaveBlocker.stop(blocker);
    blocker = null;
  };
  const unsubscribe = deps.onPrintActivity(update);
  update();
  return () => {
    unsubscribe();
    release();
  };
}
