import { connect, type TLSSocket } from 'node:tls';
import { AppError } from '../errors';
import { isCertificateRefusal, type BambuTlsOptions } from '../printers/bambu/printer-certificate';
import { describeNetworkError } from '../printers/lan-common/address';
import { frameTooLargeMessage, isJpeg, type CameraSource, type FrameSink } from './camera-source';
import { bambuAuthPacket, BambuFrameError, BambuFrameReader } from './bambu-framing';

export interface BambuCameraTarget {
  host: string;
  port: number;
  /** e.g. `camera of "P1S" (192.168.1.30)`; never the access code. */
  label: string;
  /** The printer's LAN access code from the credential store (null: not held on this computer). */
  accessCode: () => Promise<string | null>;
  /** The printer's certificate check (Bambu's CA and its serial, or the pin), as for its MQTT and FTPS. */
  tls: BambuTlsOptions;
}

/** A P1/A1 printer sends a frame about every second; this long without one means the stream is dead. */
const SILENCE_MS = 15_000;

/**
 * A Bambu P1/A1 built-in camera: TLS to port 6000, the 80-byte hello with `bblp` and the access code, then
 * JPEG frames each after a 16-byte header. A wrong access code is answered by closing the connection.
 */
export class BambuCameraSource implements CameraSource {
  private socket: TLSSocket | null = null;
  private stopped = false;

  constructor(private readonly target: BambuCameraTarget) {}

  start(sink: FrameSink): void {
    this.stopped = false;
    let frames = 0;
    const fail = (err: AppError) => {
      if (this.stopped) return;
      this.stop();
      sink.failed(err);
    };
    this.target.accessCode().then(
      (code) => {
        if (this.stopped) return;
        if (!code) {
          return fail(new AppError('printer_error', `The access code for the ${this.target.label} is not held on this computer. Enter it again on the printer's page.`));
        }
        const reader = new BambuFrameReader((jpeg) => {
          frames++;
          if (isJpeg(jpeg)) sink.frame(jpeg);
        });
        // The same check as the printer's MQTT and FTPS: the access code goes only to the printer's own certificate.
        const socket = connect({ host: this.target.host, port: this.target.port, minVersion: 'TLSv1.2', ...this.target.tls });
        this.socket = socket;
        socket.setTimeout(SILENCE_MS);
        socket.once('secureConnect', () => socket.write(bambuAuthPacket(code)));
        socket.on('data', (chunk: Buffer) => {
          try {
            reader.push(chunk);
          } catch (err) {
            if (err instanceof BambuFrameError && err.reason === 'too_large') return fail(new AppError('printer_error', frameTooLargeMessage(this.target.label, err.size)));
            return fail(new AppError('printer_error', `The ${this.target.label} sent a stream this app cannot read.`));
          }
        });
        socket.on('timeout', () => fail(new AppError('printer_offline', `The ${this.target.label} sent no picture for ${SILENCE_MS / 1000} s.`)));
        socket.on('error', (err) =>
          fail(
            isCertificateRefusal(err)
              ? new AppError(
                  'printer_error',
                  `The ${this.target.label} presented a certificate that is not the printer's trusted one, so the access code was not sent. Check the certificate on the printer's page.`,
                )
              : new AppError('printer_offline', describeNetworkError(err, `the ${this.target.label}`)),
          ),
        );
        socket.on('close', () =>
          fail(
            frames === 0
              ? new AppError(
                  'printer_error',
                  `The ${this.target.label} closed the connection without sending a picture. Check the access code, and that LAN mode liveview is on in the printer's settings.`,
                )
              : new AppError('printer_offline', `The ${this.target.label} ended its stream.`),
          ),
        );
      },
      () => fail(new AppError('printer_error', `The access code for the ${this.target.label} could not be read. Enter it again on the printer's page.`)),
    );
  }

  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
    this.socket = null;
  }
}
