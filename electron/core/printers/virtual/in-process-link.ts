import { AppError } from '../../errors';
import type { ByteTransport } from '../marlin/transport';
import type { VirtualFirmware } from './firmware';
import { createCable } from './wire';

/**
 * Connects a host to a VirtualFirmware in the same process, through two simulated wires running at
 * the firmware's baud rate (unlimited when it has none). Closing the link leaves the firmware running,
 * as unplugging a cable leaves the board powered; `resetBoard()` is the DTR pulse.
 */
export interface InProcessLink extends ByteTransport {
  /**
   * The link's simulated time: inside a data or firmware callback, when that delivery arrived plus the
   * time spent on it; otherwise the clock. Benchmarks time the simulated hardware with it, since the
   * simulator's own timers may run behind it.
   */
  simulatedNow(): number;
}

export function createInProcessLink(fw: VirtualFirmware): InProcessLink {
  const dataListeners = new Set<(chunk: string) => void>();
  const closeListeners = new Set<(reason: string | null) => void>();
  let closed = false;

  // The board answers a line when its last byte arrives, and the host's reply to an `ok` leaves when
  // the ok arrived plus the host's own processing time, not when a late Node timer delivered either.
  const cable = createCable(fw.clock, fw.baudRate, {
    board: (chunk) => fw.write(chunk),
    host: (chunk) => {
      for (const l of [...dataListeners]) l(chunk);
    },
  });
  const { toBoard: toFirmware, toHost } = cable;

  const shutdown = (reason: string | null) => {
    if (closed) return;
    closed = true;
    offOutput();
    offDisconnect();
    toFirmware.close();
    toHost.close();
    for (const l of [...closeListeners]) l(reason);
    closeListeners.clear();
    dataListeners.clear();
  };

  const offOutput = fw.onOutput((chunk) => toHost.send(chunk, cable.now()));
  const offDisconnect = fw.onDisconnect(() => shutdown('The virtual printer dropped the connection (simulated cable fault).'));

  return {
    simulatedNow: () => cable.now(),
    async write(data: string): Promise<void> {
      if (closed) throw new AppError('printer_offline', 'The virtual printer link is closed; reconnect to send more.');
      toFirmware.send(data, cable.now());
    },
    onData(listener) {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    async close(): Promise<void> {
      shutdown(null);
    },
    async resetBoard(): Promise<void> {
      if (closed) throw new AppError('printer_offline', 'The virtual printer link is closed; reconnect before resetting the board.');
      // A reset loses whatever was still on its way to the board.
      toFirmware.discard();
      fw.reset();
    },
  };
}
