import { BAUD_CANDIDATES, detectBaudRate } from './baud-detect';
import { listSerialPorts, type SerialPortListing } from './list-ports';
import { openSerialTransport } from './serial-transport';

/** What the add-printer dialog shows: the ports, and how they were found. */
export async function listPortsForPicker(list: () => Promise<SerialPortListing> = () => listSerialPorts()): Promise<SerialPortListing> {
  return list();
}

/**
 * Checks that a board answers on the port before the printer is saved, so a wrong port or rate is said
 * at once rather than as a printer that never connects. "auto" tries the common rates in turn; the
 * connection used for the check is closed again, the fleet opens its own.
 */
export async function resolveBaudRate(port: string, requested: number | 'auto'): Promise<number> {
  const candidates = requested === 'auto' ? BAUD_CANDIDATES : [requested];
  const found = await detectBaudRate((baud) => openSerialTransport(port, baud), { linkName: port, candidates });
  await found.host.close().catch(() => undefined);
  return found.baudRate;
}
