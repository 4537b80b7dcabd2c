import { AppError } from '../../errors';
import { MarlinHost, type MarlinHostOptions } from '../marlin/host';
import type { ByteTransport } from '../marlin/transport';

/** Tried in this order: the two common Marlin rates first, then the legacy ones. */
export const BAUD_CANDIDATES = [250000, 115200, 57600, 38400, 19200, 9600] as const;

export interface BaudDetection {
  baudRate: number;
  /** The connected host, already past its handshake at that rate. */
  host: MarlinHost;
}

/**
 * Finds the rate a board answers at: opens the port at each candidate, runs the hello (M110, then M115)
 * and keeps the first rate that gets an ok. Each attempt is bounded by `perRateTimeoutMs`.
 */
export async function detectBaudRate(
  open: (baudRate: number) => Promise<ByteTransport>,
  options: { candidates?: readonly number[]; perRateTimeoutMs?: number; host?: Omit<MarlinHostOptions, 'connectTimeoutMs'>; linkName?: string } = {},
): Promise<BaudDetection> {
  const candidates = options.candidates ?? BAUD_CANDIDATES;
  const failures: string[] = [];
  for (const baudRate of candidates) {
    // An open error (no permission, unplugged) is the same at every rate, so it ends the search at once.
    const transport = await open(baudRate);
    const host = new MarlinHost({ ...options.host, handshake: 'reset', connectTimeoutMs: options.perRateTimeoutMs ?? 4000, helloIntervalMs: 700 });
    try {
      await host.connect(transport);
      return { baudRate, host };
    } catch (err) {
      failures.push(`${baudRate}: ${err instanceof Error ? err.message : String(err)}`);
      await host.close().catch(() => undefined);
    }
  }
  throw new AppError(
    'timeout',
    `${options.linkName ?? 'The printer'} did not answer at any of ${candidates.join(', ')} baud. Check that it is switched on and that this is the right port.`,
    { attempts: failures },
  );
}
