import type { AppError } from '../errors';

/** Where a camera's frames go: every JPEG as it arrives, and the one failure that ends the source. */
export interface FrameSink {
  frame(jpeg: Buffer): void;
  /** The source stopped by itself (unreachable, refused, broken stream); the message never holds a credential. */
  failed(err: AppError): void;
}

/**
 * One camera's upstream, whatever its protocol (MJPEG stream, snapshot polling, Bambu's TLS stream). The relay
 * starts it when the first viewer arrives and stops it after the last leaves; a source never restarts itself.
 */
export interface CameraSource {
  start(sink: FrameSink): void;
  /** The fastest rate a viewer wants now: polling sources follow it, streams ignore it. */
  setRate?(fps: number): void;
  stop(): void;
}

/** The largest JPEG a camera may send: a 4K frame is about 1–2 MiB, so this is corruption, not a picture. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** A JPEG starts with the SOI marker (FF D8 FF); anything else is not a picture a browser can draw. */
export function isJpeg(buf: Buffer): boolean {
  return buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

export function frameTooLargeMessage(label: string, size: number | null): string {
  const mib = MAX_FRAME_BYTES / 1024 / 1024;
  const seen = size === null ? `more than ${mib} MiB` : `${(size / 1024 / 1024).toFixed(1)} MiB`;
  return `The ${label} sent a picture of ${seen}; the limit is ${mib} MiB. Lower the camera's resolution, or check that this address is a camera stream.`;
}
