import { AppError } from '../../errors';
import type { Clock } from '../../ports/clock';
import { frameLine } from './framing';
import type { MarlinResponse } from './responses';

export interface HandshakeContext {
  clock: Clock;
  connectTimeoutMs: number;
  helloIntervalMs: number;
  startWaitMs: number;
  helloSettleMs: number;
  linkName: string;
  /** Whether the link is still open (a hello to a closed link is not sent). */
  linked(): boolean;
  sentHello(line: string): void;
  write(data: string): void;
  /** The board never answered: the host is disconnected with this reason. */
  gaveUp(reason: string): void;
}

/**
 * Says hello (`N0 M110 N0`, repeated every `helloIntervalMs`) until the board answers, robust against a
 * board that is still booting:
 * - After a DTR reset the bootloader runs for 1–2 s. What is sent meanwhile is lost, or (some USB bridges
 *   and native-USB stacks) held and delivered once the firmware runs. So after a reset the host stays
 *   silent until the board prints `start`, then says hello at once. If no `start` comes within
 *   `startWaitMs` (a native-USB board that did not reset), or the board prints something else (it is
 *   plainly running), the hellos begin anyway. A `start` at any point restarts the handshake.
 * - Whenever more than one hello went out, any number of them may still be answered, and each late `ok`
 *   would be taken for the answer to the next command, shifting every later reply by one (firmware
 *   unknown, empty M114). Held-back hellos are answered back to back, so after the first ok the host
 *   waits for a quiet `helloSettleMs` (restarted by every further ok) and ignores the oks in it. Every
 *   hello sets the line number to 0, so it does not matter how many of them the firmware ran. With a
 *   single hello there is nothing to drain and the handshake ends on its ok.
 */
export class HelloHandshake {
  private waiter: { onOk(): void; onStart(): void; onOther(): void } | null = null;
  /** A `start` that arrived while the DTR reset was still being awaited, before the hello was set up. */
  private startSeen = false;
  private closeDuringHandshake: ((reason: string) => void) | null = null;

  constructor(private readonly c: HandshakeContext) {}

  /** A new connection: a `start` seen on an earlier one says nothing about this one. */
  forgetStart(): void {
    this.startSeen = false;
  }

  /** A line that arrived while connecting. */
  onLine(response: MarlinResponse): void {
    const waiter = this.waiter;
    if (!waiter) {
      // The board can print `start` before the reset call has even returned.
      if (response.kind === 'start') this.startSeen = true;
      return;
    }
    if (response.kind === 'ok') waiter.onOk();
    else if (response.kind === 'start') waiter.onStart();
    else waiter.onOther();
  }

  /** The link closed: a handshake under way fails with this reason. */
  linkClosed(reason: string): void {
    this.closeDuringHandshake?.(reason);
  }

  /** Resolves once the board has answered (and answers to extra hellos have drained); rejects when it never does. */
  async run(waitForStart: boolean): Promise<void> {
    const c = this.c;
    const clock = c.clock;
    const started = clock.now();
    await new Promise<void>((resolve, reject) => {
      let helloTimer: { cancel(): void } | null = null;
      let startTimer: { cancel(): void } | null = null;
      let settleTimer: { cancel(): void } | null = null;
      let hellosSent = 0;
      let answered = false;
      let done = false;
      const finish = (err: Error | null) => {
        if (done) return;
        done = true;
        helloTimer?.cancel();
        startTimer?.cancel();
        settleTimer?.cancel();
        deadline.cancel();
        this.waiter = null;
        if (err) reject(err);
        else resolve();
      };
      const sendHello = () => {
        helloTimer?.cancel();
        helloTimer = null;
        if (!c.linked() || done) return;
        const hello = frameLine(0, 'M110 N0');
        hellosSent++;
        c.sentHello(hello);
        c.write(`${hello}\n`);
        helloTimer = clock.setTimeout(sendHello, c.helloIntervalMs);
      };
      const beginHellos = () => {
        startTimer?.cancel();
        startTimer = null;
        sendHello();
      };
      const settle = () => {
        settleTimer?.cancel();
        settleTimer = clock.setTimeout(() => finish(null), c.helloSettleMs);
      };
      const deadline = clock.setTimeout(() => {
        // Still draining answers to extra hellos: the board did answer, so the handshake succeeded.
        if (answered) return finish(null);
        const seconds = Math.round((clock.now() - started) / 100) / 10;
        const err = new AppError(
          'timeout',
          `${c.linkName} did not answer within ${seconds} s. Check that the printer is switched on, that the baud rate is right, and that no other program (a slicer, OctoPrint) has the port open.`,
        );
        c.gaveUp(err.message);
        finish(err);
      }, c.connectTimeoutMs);
      this.waiter = {
        onStart: () => {
          // The board (re)booted: earlier answers are void and it listens from now on.
          answered = false;
          settleTimer?.cancel();
          settleTimer = null;
          beginHellos();
        },
        onOk: () => {
          // An ok before any hello answers nothing of ours, but the board is clearly up: say hello.
          if (hellosSent === 0) return beginHellos();
          if (!answered) {
            answered = true;
            helloTimer?.cancel();
            helloTimer = null;
            if (hellosSent === 1) finish(null);
            else settle();
            return;
          }
          settle(); // the answer to a held-back hello
        },
        onOther: () => {
          if (startTimer) beginHellos();
        },
      };
      this.closeDuringHandshake = (reason) => finish(new AppError('printer_offline', reason));
      const startWait = Math.min(c.startWaitMs, c.connectTimeoutMs / 2);
      if (waitForStart && !this.startSeen && startWait > 0) startTimer = clock.setTimeout(beginHellos, startWait);
      else sendHello();
    }).finally(() => {
      this.closeDuringHandshake = null;
    });
  }
}
