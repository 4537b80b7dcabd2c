/**
 * Heatshrink (LZSS) decompression of one .bgcode block. A bit stream, most significant bit first: a 1 bit is
 * followed by one literal byte; a 0 bit by a back-reference of `windowBits` bits (distance - 1) and
 * `lookaheadBits` bits (length - 1). The block's size is stated in its header, so the whole output is one buffer
 * and that buffer is the window. Heatshrink's window starts zero-filled, and PrusaSlicer's encoder does refer to
 * it: a back-reference reaching before the block's first byte yields zeros (the CORE One fixture has one in its
 * first G-code block).
 *
 * Our own decoder rather than the `heatshrink-ts` package (0.1.0, its only release): that package decodes every
 * heatshrink block of the real fixtures to the same bytes (window 11 and 12, lookahead 4, zero-filled window),
 * but it walks a bit-at-a-time state machine and grows its output as it goes, and measured about ten times
 * slower on the same blocks. This is one loop over a buffer of the size the block header states, and a damaged
 * stream is reported with its reason instead of coming out short.
 */

export class HeatshrinkError extends Error {}

export function heatshrinkDecode(input: Uint8Array, windowBits: number, lookaheadBits: number, outputBytes: number): Buffer {
  const out = Buffer.allocUnsafe(outputBytes);
  const indexMask = (1 << windowBits) - 1;
  const countMask = (1 << lookaheadBits) - 1;
  const refBits = windowBits + lookaheadBits;
  const inLen = input.length;
  let inPos = 0;
  // Up to 24 pending bits, the oldest at the top of `bitCount`.
  let bits = 0;
  let bitCount = 0;
  let o = 0;
  while (o < outputBytes) {
    if (bitCount < 1) {
      if (inPos >= inLen) throw new HeatshrinkError(`the compressed data ends after ${o} of ${outputBytes} bytes`);
      bits = ((bits << 8) | input[inPos++]!) & 0xffffff;
      bitCount += 8;
    }
    bitCount--;
    if ((bits >>> bitCount) & 1) {
      while (bitCount < 8) {
        if (inPos >= inLen) throw new HeatshrinkError(`the compressed data ends inside a literal after ${o} of ${outputBytes} bytes`);
        bits = ((bits << 8) | input[inPos++]!) & 0xffffff;
        bitCount += 8;
      }
      bitCount -= 8;
      out[o++] = (bits >>> bitCount) & 0xff;
      continue;
    }
    while (bitCount < refBits) {
      if (inPos >= inLen) throw new HeatshrinkError(`the compressed data ends inside a back-reference after ${o} of ${outputBytes} bytes`);
      bits = ((bits << 8) | input[inPos++]!) & 0xffffff;
      bitCount += 8;
    }
    bitCount -= refBits;
    const ref = bits >>> bitCount;
    const distance = ((ref >>> lookaheadBits) & indexMask) + 1;
    const count = (ref & countMask) + 1;
    if (o + count > outputBytes) {
      throw new HeatshrinkError(`a back-reference of ${count} bytes at byte ${o} runs past the ${outputBytes} bytes the block states`);
    }
    let from = o - distance;
    // Before the block's start lies the zero-filled initial window.
    for (let k = 0; k < count; k++, from++) out[o++] = from < 0 ? 0 : out[from]!;
  }
  return out;
}
