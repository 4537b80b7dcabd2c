import { describe, expect, it } from 'vitest';
import { boundaryOf, FrameTooLargeError, MjpegParser } from '../../../electron/core/cameras/mjpeg-parser';

const jpeg = (n: number, size = 50) => {
  const b = Buffer.alloc(size, n);
  b[0] = 0xff;
  b[1] = 0xd8;
  b[2] = 0xff;
  b[size - 2] = 0xff;
  b[size - 1] = 0xd9;
  return b;
};

function part(body: Buffer, opts: { boundary?: string; length?: boolean; eol?: string } = {}) {
  const eol = opts.eol ?? '\r\n';
  const headers = [`Content-Type: image/jpeg`, ...(opts.length === false ? [] : [`Content-Length: ${body.length}`])].join(eol);
  return Buffer.concat([Buffer.from(`--${opts.boundary ?? 'frame'}${eol}${headers}${eol}${eol}`), body, Buffer.from(eol)]);
}

function parseAll(stream: Buffer, boundary: string | null, chunkSize = stream.length, max?: number) {
  const frames: Buffer[] = [];
  const parser = new MjpegParser(boundary, (f) => frames.push(f), max);
  for (let i = 0; i < stream.length; i += chunkSize) parser.push(stream.subarray(i, i + chunkSize));
  return frames;
}

describe('MJPEG multipart parser', () => {
  const frames = [jpeg(1), jpeg(2, 300), jpeg(3, 70)];

  it('cuts frames by Content-Length, whatever the chunk sizes', () => {
    const stream = Buffer.concat(frames.map((f) => part(f)));
    for (const chunk of [1, 3, 17, 64, stream.length]) expect(parseAll(stream, 'frame', chunk)).toEqual(frames);
  });

  it('cuts frames at the next boundary when parts have no Content-Length', () => {
    // The last frame is complete only once the next boundary arrives.
    const stream = Buffer.concat([...frames.map((f) => part(f, { length: false })), Buffer.from('--frame\r\n')]);
    for (const chunk of [1, 5, 64, stream.length]) expect(parseAll(stream, 'frame', chunk)).toEqual(frames);
  });

  it('accepts a declared boundary with the dashes already in it (mjpg-streamer style) and bare LF line ends', () => {
    const stream = Buffer.concat(frames.map((f) => part(f, { boundary: 'boundarydonotcross', eol: '\n' })));
    expect(parseAll(stream, '--boundarydonotcross', 7)).toEqual(frames);
  });

  it('finds the boundary in the body when the Content-Type declares none', () => {
    const stream = Buffer.concat(frames.map((f) => part(f, { boundary: 'xyz' })));
    expect(parseAll(stream, null, 11)).toEqual(frames);
  });

  it('skips a preamble before the first boundary', () => {
    const stream = Buffer.concat([Buffer.from('some preamble text\r\n'), ...frames.map((f) => part(f))]);
    expect(parseAll(stream, 'frame', 9)).toEqual(frames);
  });

  it('refuses a part whose Content-Length is over the cap before reading it', () => {
    const stream = Buffer.from('--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 999999999\r\n\r\n');
    expect(() => parseAll(stream, 'frame', stream.length, 1024)).toThrow(FrameTooLargeError);
  });

  it('refuses a part without Content-Length that grows past the cap instead of buffering it', () => {
    const stream = Buffer.concat([Buffer.from('--frame\r\n\r\n'), jpeg(9, 5000)]);
    expect(() => parseAll(stream, 'frame', 256, 1024)).toThrow(FrameTooLargeError);
  });

  it('reads the boundary parameter quoted or not', () => {
    expect(boundaryOf('multipart/x-mixed-replace; boundary="ab cd"')).toBe('ab cd');
    expect(boundaryOf('multipart/x-mixed-replace;boundary=--frame')).toBe('--frame');
    expect(boundaryOf('image/jpeg')).toBeNull();
  });
});
