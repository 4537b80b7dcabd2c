/**
 * A byte stream to a Marlin-style board: a real serial port, one end of a pseudo-terminal, or the
 * in-process virtual firmware. The host protocol only ever sees this interface.
 */
export interface ByteTransport {
  /** Queues bytes for the printer; resolves once the bytes are handed to the OS (or the simulation). */
  write(data: string): Promise<void>;
  /** Raw chunks as they arrive; they are not split into lines. Returns an unsubscribe function. */
  onData(listener: (chunk: string) => void): () => void;
  /** Called once when the link goes away; `reason` is null for a close we asked for. */
  onClose(listener: (reason: string | null) => void): () => void;
  close(): Promise<void>;
  /** Pulses DTR to reset the board, where the link can. */
  resetBoard?(): Promise<void>;
}
