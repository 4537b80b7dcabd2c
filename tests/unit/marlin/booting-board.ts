import type { ByteTransport } from '../../../electron/core/printers/marlin/transport';
import { FakeBoard, type FakeBoardOptions } from './fake-board';
import type { ManualClock } from './support';

/**
 * A board behind a USB bridge that holds what the host sends while the bootloader runs (after a DTR
 * reset) and delivers it once the firmware has printed `start`, so every hello sent during the boot is
 * answered late, each with its own `ok`.
 */
export class BootingBoard implements ByteTransport {
  readonly board: FakeBoard;
  /** Lines the host sent while the board was booting. */
  readonly heldDuringBoot: string[] = [];
  private booting = false;

  constructor(
    private readonly clock: ManualClock,
    private readonly bootMs: number,
    options: FakeBoardOptions = {},
  ) {
    this.board = new FakeBoard({ ...options, resettable: false });
  }

  async write(data: string): Promise<void> {
    if (!this.booting) return this.board.write(data);
    this.heldDuringBoot.push(...data.split('\n').filter(Boolean));
  }

  onData(listener: (chunk: string) => void): () => void {
    return this.board.onData(listener);
  }

  onClose(listener: (reason: string | null) => void): () => void {
    return this.board.onClose(listener);
  }

  close(): Promise<void> {
    return this.board.close();
  }

  async resetBoard(): Promise<void> {
    await this.board.resetBoard();
    this.booting = true;
    this.clock.setTimeout(() => {
      this.booting = false;
      this.board.emit('start', 'echo:Marlin fake');
      // The bridge now hands over what it held; the firmware answers each hello after its banner.
      void this.board.write(this.heldDuringBoot.map((l) => `${l}\n`).join(''));
    }, this.bootMs);
  }
}
