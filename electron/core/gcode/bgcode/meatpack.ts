/**
 * MeatPack decoding (Scott Mudge's G-code packing, as Marlin and Prusa's firmware read it). Each byte holds two
 * 4-bit codes, the low nibble first, for the 15 most common G-code characters; code 0b1111 means "this character
 * did not pack" and a whole byte carrying it follows (for both nibbles, two bytes, the first character's first).
 * After a packed newline the other nibble is padding. Two 0xFF bytes and a command byte switch packing and the
 * "no spaces" mode (where the space's code stands for 'E' and the encoder dropped every space) on and off.
 *
 * In no-spaces mode PrusaSlicer drops the spaces of G lines ("G1X10.5Y3E.2") and sends the spaces of every other
 * line as unpacked characters (`M862.3 P "MINI"`). We put a space back before each parameter letter that follows
 * a value on a G line, outside comments, so printers and people see ordinary G-code; nothing else is touched.
 * PrusaSlicer's "MeatPack with comments" variant needs nothing more: its comments are sent with packing off.
 *
 * The decoder is a state machine fed block after block, so a packed pair or a command split across two G-code
 * blocks still decodes.
 */

const SIGNAL = 0xff;
const CMD_ENABLE_PACKING = 0xfb;
const CMD_DISABLE_PACKING = 0xfa;
const CMD_RESET_ALL = 0xf9;
const CMD_QUERY_CONFIG = 0xf8;
const CMD_ENABLE_NO_SPACES = 0xf7;
const CMD_DISABLE_NO_SPACES = 0xf6;
const UNPACKED = 0b1111;

const NL = 0x0a;
const SP = 0x20;
const SEMI = 0x3b;
const G = 0x47;

/** Code → character; code 11 is ' ' normally and 'E' in no-spaces mode. */
const TABLE = Buffer.from('0123456789. \nGX', 'latin1');
const TABLE_NO_SPACES = Buffer.from('0123456789.E\nGX', 'latin1');

export class MeatPackError extends Error {}

export class MeatPackDecoder {
  private packing = false;
  private noSpaces = false;
  /** 0xFF bytes seen in a row (1 so far, or 2: the next byte is a command). */
  private signals = 0;
  /** Whole bytes still to come for characters that did not pack. */
  private pendingFull = 0;
  /** A packed second character waiting behind an unpacked first one (-1: none). */
  private heldSecond = -1;
  /** Output state for putting spaces back: inside a comment, and the last character written. */
  private inComment = false;
  /** The first character of the current output line (-1 before it). */
  private lineStart = -1;
  private last = NL;
  private out: Buffer = Buffer.alloc(0);
  private o = 0;

  /** Decodes one block's data; the text may end mid-line (the next block continues it). */
  push(data: Uint8Array): Buffer {
    // Packing never makes text longer than 2 characters per byte, plus the spaces we restore.
    const need = data.length * 4 + 16;
    if (this.out.length < need) this.out = Buffer.allocUnsafe(need);
    this.o = 0;
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      if (c === SIGNAL && this.pendingFull === 0) {
        if (++this.signals === 2) this.signals = 3;
        else if (this.signals > 3) throw new MeatPackError(`three 0xFF bytes in a row at byte ${i}`);
        continue;
      }
      if (this.signals === 3) {
        this.command(c, i);
        this.signals = 0;
        continue;
      }
      if (this.signals === 1) {
        // A single 0xFF is data: two unpacked characters follow.
        this.signals = 0;
        this.byte(SIGNAL);
      }
      this.byte(c);
    }
    return Buffer.from(this.out.subarray(0, this.o));
  }

  /** Checks the stream did not stop halfway through a character. */
  finish(): void {
    if (this.pendingFull > 0 || this.signals > 0) throw new MeatPackError('the packed G-code ends in the middle of a character');
  }

  private command(c: number, at: number): void {
    switch (c) {
      case CMD_ENABLE_PACKING:
        this.packing = true;
        return;
      case CMD_DISABLE_PACKING:
        this.packing = false;
        return;
      case CMD_ENABLE_NO_SPACES:
        this.noSpaces = true;
        return;
      case CMD_DISABLE_NO_SPACES:
        this.noSpaces = false;
        return;
      case CMD_RESET_ALL:
        this.packing = false;
        this.noSpaces = false;
        return;
      case CMD_QUERY_CONFIG:
        return;
      default:
        throw new MeatPackError(`unknown MeatPack command 0x${c.toString(16)} at byte ${at}`);
    }
  }

  private byte(c: number): void {
    if (!this.packing) {
      this.emit(c);
      return;
    }
    if (this.pendingFull > 0) {
      this.pendingFull--;
      this.emit(c);
      if (this.heldSecond !== -1 && this.pendingFull === 0) {
        this.emit(this.heldSecond);
        this.heldSecond = -1;
      }
      return;
    }
    const table = this.noSpaces ? TABLE_NO_SPACES : TABLE;
    const lo = c & 0x0f;
    const hi = c >>> 4;
    if (lo === UNPACKED) {
      this.pendingFull = hi === UNPACKED ? 2 : 1;
      if (hi !== UNPACKED) this.heldSecond = table[hi]!;
      return;
    }
    const first = table[lo]!;
    if (first === NL) {
      // The other nibble is padding. The packer also ends some lines with a second, packed newline (0xCC) that
      // only pads the byte: an empty line, which we drop so the text has one line per line of the original.
      if (this.last !== NL) this.emit(NL);
      return;
    }
    this.emit(first);
    if (hi === UNPACKED) this.pendingFull = 1;
    else this.emitPacked(table[hi]!);
  }

  /** A packed second character: a newline right after a newline is the packer's padding (see above). */
  private emitPacked(ch: number): void {
    if (ch !== NL || this.last !== NL) this.emit(ch);
  }

  private emit(ch: number): void {
    if (ch === NL) {
      this.inComment = false;
      this.lineStart = -1;
    } else {
      if (this.lineStart === -1) this.lineStart = ch;
      if (ch === SEMI) this.inComment = true;
      else if (this.noSpaces && !this.inComment && this.lineStart === G && isLetter(ch) && isValueEnd(this.last)) {
        // "G1X10" → "G1 X10": a parameter letter right after a value gets its space back.
        this.out[this.o++] = SP;
      }
    }
    this.out[this.o++] = ch;
    this.last = ch;
  }
}

/** A digit or a decimal point: the end of a parameter's value. */
function isValueEnd(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e;
}

function isLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}
