import type { PrinterView } from '../contract/types';

/**
 * When a downloaded update may restart the app. A USB print is streamed line by line by this process:
 * restarting it mid-print ruins the print (LAN printers print on their own and do not care). So the user is
 * asked, and never while a USB print runs; an update the user puts off installs when they next quit.
 */
export type UpdateState =
  | { phase: 'none' }
  /** Downloaded while a USB print was running: asks when the last one ends. */
  | { phase: 'waiting-for-prints'; version: string }
  /** The question is on screen. */
  | { phase: 'asking'; version: string }
  /** The user said later: it installs when the app quits (electron-updater's autoInstallOnAppQuit). */
  | { phase: 'later'; version: string }
  | { phase: 'installing'; version: string };

export type UpdateInput =
  | { type: 'downloaded'; version: string }
  /** A USB print started or ended (or anything else that may have changed the answer). */
  | { type: 'prints-changed' }
  | { type: 'answered'; restart: boolean };

/** What the host must do: show the question, or quit and install. */
export type UpdateEffect = { do: 'ask'; version: string } | { do: 'install'; version: string } | null;

export const NO_UPDATE: UpdateState = { phase: 'none' };

/** `usbPrintStreaming` is asked only when the answer matters (status events come often; the fleet is not walked for each). */
export function nextUpdateStep(state: UpdateState, input: UpdateInput, usbPrintStreaming: () => boolean): { state: UpdateState; effect: UpdateEffect } {
  const stay = { state, effect: null };
  if (state.phase === 'installing') return stay;
  switch (input.type) {
    case 'downloaded':
      // A question already on screen stands; electron-updater installs the newest download anyway.
      if (state.phase === 'asking') return stay;
      return askWhenIdle(input.version, usbPrintStreaming);
    case 'prints-changed':
      if (state.phase === 'waiting-for-prints') return askWhenIdle(state.version, usbPrintStreaming);
      return stay;
    case 'answered':
      if (state.phase !== 'asking') return stay;
      if (!input.restart) return { state: { phase: 'later', version: state.version }, effect: null };
      // A print may have started while the question was open: wait for it, then ask again.
      if (usbPrintStreaming()) return { state: { phase: 'waiting-for-prints', version: state.version }, effect: null };
      return { state: { phase: 'installing', version: state.version }, effect: { do: 'install', version: state.version } };
  }
}

function askWhenIdle(version: string, usbPrintStreaming: () => boolean): { state: UpdateState; effect: UpdateEffect } {
  if (usbPrintStreaming()) return { state: { phase: 'waiting-for-prints', version }, effect: null };
  return { state: { phase: 'asking', version }, effect: { do: 'ask', version } };
}

/** True while this process streams a print to a USB printer (printing or paused: the job lives in this process). */
export function isUsbPrintStreaming(printers: readonly Pick<PrinterView, 'kind' | 'status'>[]): boolean {
  return printers.some((p) => p.kind === 'marlin' && (p.status.state.kind === 'printing' || p.status.state.kind === 'paused'));
}
