import type { ClientRequest } from 'node:http';
import { AppError } from '../errors';
import { frameTooLargeMessage, isJpeg, type CameraSource, type FrameSink } from './camera-source';
import { cameraGet, statusError, type HttpCameraTarget } from './http-camera';
import { boundaryOf, FrameTooLargeError, MjpegParser, NotMjpegError } from './mjpeg-parser';

/** A stream that sends nothing for this long is treated as dead (mjpg-streamer sends at least 1 fps). */
const IDLE_MS = 15_000;

/**
 * An MJPEG stream URL (mjpg-streamer, ustreamer, crowsnest, most IP cameras): one long GET answered with
 * multipart/x-mixed-replace, each part a JPEG. Parts that are not JPEGs are skipped.
 */
export class MjpegStreamSource implements CameraSource {
  private req: ClientRequest | null = null;
  private stopped = false;

  constructor(private readonly target: HttpCameraTarget) {}

  start(sink: FrameSink): void {
    this.stopped = false;
    const fail = (err: AppError) => {
      if (this.stopped) return;
      this.stop();
      sink.failed(err);
    };
    cameraGet(this.target, IDLE_MS).then(({ req, res }) => {
      this.req = req;
      if (this.stopped) return void req.destroy();
      if (res.statusCode !== 200) {
        res.resume();
        return fail(statusError(this.target, res.statusCode ?? 0));
      }
      const type = String(res.headers['content-type'] ?? '');
      if (!/^multipart\//i.test(type)) {
        res.resume();
        const hint = /^image\/jpe?g/i.test(type)
          ? ' It gives a single picture: add it as a snapshot URL instead.'
          : ' Check that this is the stream address (mjpg-streamer: ?action=stream).';
        return fail(new AppError('printer_error', `The ${this.target.label} did not answer with an MJPEG stream (Content-Type ${type || 'none'}).${hint}`));
      }
      const parser = new MjpegParser(boundaryOf(type), (part) => {
        if (isJpeg(part)) sink.frame(part);
      });
      res.on('data', (chunk: Buffer) => {
        if (this.stopped) return;
        try {
          parser.push(chunk);
        } catch (err) {
          if (err instanceof FrameTooLargeError) return fail(new AppError('printer_error', frameTooLargeMessage(this.target.label, err.size)));
          if (err instanceof NotMjpegError) return fail(new AppError('printer_error', `The ${this.target.label} sent a stream that is not MJPEG.`));
          throw err;
        }
      });
      res.on('end', () => fail(new AppError('printer_offline', `The ${this.target.label} ended its stream.`)));
      res.on('error', () => fail(new AppError('printer_offline', `The connection to the ${this.target.label} was cut off.`)));
      req.on('timeout', () => fail(new AppError('printer_offline', `The ${this.target.label} sent no picture for ${IDLE_MS / 1000} s.`)));
    }, fail);
  }

  stop(): void {
    this.stopped = true;
    this.req?.destroy();
    this.req = null;
  }
}
