import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { AppError } from '../errors';
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
}

/** A P1/A1 printer sends a frame about every second; this long without one means the stream is dead. */
const SILENCE_MS = 15_000;

/**
 * How the camera's TLS is checked. One place on purpose: Bambu MQTT/FTPS are getting certificate checks
 * against Bambu's CA, and the camera should use the same trust decision once that lands.
 */
export function bambuCameraTlsOptions(): Pick<ConnectionOptions, 'rejectUnauthorized' | 'minVersion'> {
  // TODO(bambu-trust): use the Bambu trust check from printers/bambu once it exists; until then the access code
  // is what authenticates the printer, as for MQTT and FTPS today.
  return { rejectUnauthorized: false, minVersion: 'TLSv1.2' };
}

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
        const socket = connect({ host: this.target.host, port: this.target.port, ...bambuCameraTlsOptions() });
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
        socket.on('error', (err) => fail(new AppError('printer_offline', describeNetworkError(err, `the ${this.target.label}`))));
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
