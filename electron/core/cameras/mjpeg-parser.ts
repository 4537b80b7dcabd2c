import { MAX_FRAME_BYTES } from './camera-source';

export class FrameTooLargeError extends Error {
  constructor(readonly size: number | null) {
    super('frame too large');
  }
}

export class NotMjpegError extends Error {}

const HEADER_LIMIT = 16 * 1024;

/**
 * Splits a multipart/x-mixed-replace body into its parts, as cameras really send them: the declared boundary
 * with or without the leading `--` (mjpg-streamer and ustreamer differ), parts with or without Content-Length,
 * CRLF or bare LF line ends, and chunks that cut anywhere. The boundary is searched for as plain text, so a
 * declared `--foo` and a written `--foo` or `----foo` all match. A part longer than `maxFrameBytes` is an error
 * rather than a growing buffer.
 */
export class MjpegParser {
  private buf: Buffer = Buffer.alloc(0);
  private state: 'seek' | 'headers' | 'body' = 'seek';
  private bodyLength: number | null = null;
  /** Where the boundary search resumes in a part without Content-Length (the bytes before it were searched). */
  private scanFrom = 0;
  private marker: Buffer | null;

  constructor(
    boundary: string | null,
    private readonly onPart: (body: Buffer) => void,
    private readonly maxFrameBytes = MAX_FRAME_BYTES,
  ) {
    const bare = boundary?.replace(/^-+/, '');
    this.marker = bare ? Buffer.from(bare) : null;
  }

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.state === 'seek' && !this.seek()) return;
      if (this.state === 'headers' && !this.headers()) return;
      if (this.state === 'body' && !this.body()) return;
    }
  }

  /** Finds the next boundary line and drops everything up to its end. */
  private seek(): boolean {
    if (!this.marker) {
      // No boundary declared: the first line that starts with `--` is one.
      const m = /(^|\n)--([^\r\n]+)\r?\n/.exec(this.buf.toString('latin1', 0, Math.min(this.buf.length, HEADER_LIMIT)));
      if (!m) return this.keepTail(HEADER_LIMIT);
      this.marker = Buffer.from(m[2]!.replace(/^-+/, '').replace(/--$/, '').trim());
    }
    const at = this.buf.indexOf(this.marker);
    if (at < 0) return this.keepTail(this.marker.length);
    const eol = this.buf.indexOf(0x0a, at + this.marker.length);
    if (eol < 0) return false;
    this.buf = this.buf.subarray(eol + 1);
    this.state = 'headers';
    return true;
  }

  private headers(): boolean {
    let end: number;
    let skip: number;
    if (this.buf[0] === 0x0d && this.buf[1] === 0x0a) [end, skip] = [0, 2];
    else if (this.buf[0] === 0x0a) [end, skip] = [0, 1];
    else {
      const crlf = this.buf.indexOf('\r\n\r\n');
      const lf = this.buf.indexOf('\n\n');
      if (crlf < 0 && lf < 0) {
        if (this.buf.length > HEADER_LIMIT) throw new NotMjpegError('part headers too long');
        return false;
      }
      [end, skip] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
    }
    const text = this.buf.toString('latin1', 0, end);
    const length = /(?:^|\n)\s*content-length\s*:\s*(\d+)/i.exec(text);
    this.bodyLength = length ? Number(length[1]) : null;
    if (this.bodyLength !== null && this.bodyLength > this.maxFrameBytes) throw new FrameTooLargeError(this.bodyLength);
    this.buf = this.buf.subarray(end + skip);
    this.state = 'body';
    this.scanFrom = 0;
    return true;
  }

  private body(): boolean {
    if (this.bodyLength !== null) {
      if (this.buf.length < this.bodyLength) return false;
      this.emit(this.buf.subarray(0, this.bodyLength));
      this.buf = this.buf.subarray(this.bodyLength);
      this.state = 'seek';
      return true;
    }
    const marker = this.marker!;
    const at = this.buf.indexOf(marker, this.scanFrom);
    if (at < 0) {
      if (this.buf.length > this.maxFrameBytes + marker.length + 4) throw new FrameTooLargeError(null);
      this.scanFrom = Math.max(0, this.buf.length - marker.length - 1);
      return false;
    }
    // The part ends before the line holding the boundary: drop the dashes and the line break before them.
    let end = at;
    while (end > 0 && this.buf[end - 1] === 0x2d) end--;
    if (this.buf[end - 1] === 0x0a) end--;
    if (this.buf[end - 1] === 0x0d) end--;
    this.emit(this.buf.subarray(0, end));
    this.buf = this.buf.subarray(end);
    this.state = 'seek';
    return true;
  }

  private emit(part: Buffer): void {
    if (part.length > this.maxFrameBytes) throw new FrameTooLargeError(part.length);
    // Copied: the parser's buffer is reused, a viewer may hold the frame for a while.
    this.onPart(Buffer.from(part));
  }

  /** Keeps only the bytes a boundary split across chunks could start in. */
  private keepTail(keep: number): boolean {
    if (this.buf.length > keep) this.buf = this.buf.subarray(this.buf.length - keep);
    return false;
  }
}

/** The boundary parameter of a Content-Type header (quoted or not), or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]!) : null;
}
