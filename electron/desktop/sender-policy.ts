import { isAppUrl, type OriginOptions } from './app-origin';

/** The parts of an IPC event the check reads; Electron's IpcMainInvokeEvent satisfies it. */
export interface SenderLike {
  senderFrame: { url: string } | null;
  sender: { mainFrame: unknown };
}

/**
 * An IPC call is served only when it comes from the top frame of our own window, loaded from our origin.
 * A missing frame (navigated away or destroyed), a subframe, or any other origin is refused.
 */
export function isTrustedSender(event: SenderLike, opts: OriginOptions): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url, opts);
}
