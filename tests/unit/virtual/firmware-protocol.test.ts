import { describe, expect, it } from 'vitest';
import { numberedLine, xorChecksum } from '../../../electron/core/printers/virtual/gcode-line';
import { bench } from './harness';

describe('virtual firmware: line numbers and checksums', () => {
  it('computes the checksums hosts send (known Marlin examples)', () => {
    expect(numberedLine(0, 'M110 N0')).toBe('N0 M110 N0*125');
    expect(numberedLine(1, 'M115')).toBe('N1 M115*39');
    expect(numberedLine(3, 'G28')).toBe('N3 G28*16');
    expect(xorChecksum('N2 M105')).toBe(37);
  });

  it('acknowledges correctly numbered, checksummed lines and records them as executed', () => {
    const t = bench();
    t.sendNumbered(1, 'M105', 'G92 X5', 'M114');
    expect(t.oks()).toBe(3);
    expect(t.fw.executedLines).toEqual([1, 2, 3]);
    expect(t.fw.lastLineNumber).toBe(3);
  });

  it('answers a checksum mismatch with Error, Resend of the same line and ok, and does not run it', () => {
    const t = bench();
    t.sendNumbered(1, 'G92 X1');
    t.take();
    t.fw.write('N2 G92 X2*99\n');
    expect(t.take()).toEqual(['Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok']);
    expect(t.fw.position.x).toBe(1);
    t.sendNumbered(2, 'G92 X2');
    expect(t.take()).toEqual(['ok']);
    expect(t.fw.executedLines).toEqual([1, 2]);
  });

  it('rejects a numbered line without a checksum, as Marlin does', () => {
    const t = bench();
    t.send('N1 M105');
    expect(t.take()).toEqual(['Error:No Checksum with line number, Last Line: 0', 'Resend: 1', 'ok']);
  });

  it('asks for the expected line when a line number is skipped', () => {
    const t = bench();
    t.sendNumbered(1, 'M17', 'M17');
    t.take();
    t.sendNumbered(4, 'M17');
    expect(t.take()).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 2', 'Resend: 3', 'ok']);
    expect(t.fw.executedLines).toEqual([1, 2]);
  });

  it('rejects a repeated line number too (the host must continue from Last Line + 1)', () => {
    const t = bench();
    t.sendNumbered(1, 'M17');
    t.take();
    t.sendNumbered(1, 'M17');
    expect(t.take()).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 1', 'Resend: 2', 'ok']);
  });

  it('refuses each line already sent behind a bad one with another Resend of the same line', () => {
    const t = bench();
    t.fw.write(`N1 M17*0\n${numberedLine(2, 'M17')}\n${numberedLine(3, 'M17')}\n`);
    expect(t.take()).toEqual([
      'Error:checksum mismatch, Last Line: 0',
      'Resend: 1',
      'ok',
      'Error:Line Number is not Last Line Number+1, Last Line: 0',
      'Resend: 1',
      'ok',
      'Error:Line Number is not Last Line Number+1, Last Line: 0',
      'Resend: 1',
      'ok',
    ]);
    expect(t.fw.executedLines).toEqual([]);
  });

  it('flushes the RX buffer after an error, losing lines that waited there while the board was busy', () => {
    const t = bench();
    t.send('G4 S1');
    t.fw.write(`N1 M17*0\n${numberedLine(2, 'M17')}\n${numberedLine(3, 'M17')}\n`);
    t.clock.advance(1000);
    expect(t.take()).toEqual(['ok', 'Error:checksum mismatch, Last Line: 0', 'Resend: 1', 'ok']);
    expect(t.fw.executedLines).toEqual([]);
  });

  it('accepts lines without a line number and does not track them', () => {
    const t = bench();
    t.send('M17', 'G92 X3');
    expect(t.take()).toEqual(['ok', 'ok']);
    expect(t.fw.lastLineNumber).toBe(0);
    expect(t.fw.executedLines).toEqual([]);
  });

  it('sets the line number with M110, including the N-1 form Printrun uses', () => {
    const t = bench();
    t.sendNumbered(0, 'M110 N0');
    t.sendNumbered(1, 'M17');
    expect(t.take()).toEqual(['ok', 'ok']);
    t.fw.write(`${numberedLine(-1, 'M110')}\n`);
    t.sendNumbered(0, 'M17');
    expect(t.take()).toEqual(['ok', 'ok']);
    t.send('M110 N100');
    t.sendNumbered(101, 'M17');
    expect(t.take()).toEqual(['ok', 'ok']);
  });

  it('ignores comments and blank lines and treats \\r\\n like \\n', () => {
    const t = bench();
    t.fw.write('; just a comment\r\n\r\nG92 X7 ; set\r\n');
    expect(t.take()).toEqual(['ok']);
    expect(t.fw.position.x).toBe(7);
  });

  it('echoes unknown commands without line number or checksum, then acknowledges them', () => {
    const t = bench();
    t.sendNumbered(1, 'M9999 X1');
    expect(t.take()).toEqual(['echo:Unknown command: "M9999 X1"', 'ok']);
  });
});

describe('virtual firmware: ok formats', () => {
  it('reports line, planner and queue space with ADVANCED_OK', () => {
    const t = bench({ advancedOk: true });
    t.sendNumbered(1, 'M17');
    expect(t.take()).toEqual(['ok N1 P15 B3']);
    t.send('M17');
    expect(t.take()).toEqual(['ok P15 B3']);
  });

  it('shows planner slots filling while moves run (ADVANCED_OK P)', () => {
    const t = bench({ advancedOk: true });
    t.send('G1 X10 F600', 'G1 X20', 'G1 X30');
    expect(t.take()).toEqual(['ok P14 B3', 'ok P13 B3', 'ok P12 B3']);
  });

  it('counts queued commands in B while the board is blocked', () => {
    const t = bench({ advancedOk: true });
    t.send('G4 S1', 'M17', 'M17', 'M17');
    expect(t.take()).toEqual([]);
    t.clock.advance(1000);
    // A blocked board reads nothing: the queued lines are read only after G4 ends, so B starts full.
    expect(t.take()).toEqual(['ok P15 B3', 'ok P15 B1', 'ok P15 B2', 'ok P15 B3']);
  });

  it('answers M105 with a single ok line carrying the temperatures', () => {
    const t = bench({ advancedOk: true });
    t.sendNumbered(1, 'M105');
    const out = t.take();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^ok T:\d+\.\d\d \/0\.00 B:\d+\.\d\d \/0\.00 @:0 B@:0$/);
  });

  it('delays each ok by okLatencyMs', () => {
    const t = bench({ okLatencyMs: 5 });
    t.send('M17');
    expect(t.take()).toEqual([]);
    t.clock.advance(4);
    expect(t.take()).toEqual([]);
    t.clock.advance(1);
    expect(t.take()).toEqual(['ok']);
  });
});

describe('virtual firmware: buffers', () => {
  it('holds back oks once moves outpace the stream and the planner is full', () => {
    const t = bench();
    // 20 moves of 1 mm at 10 mm/s: 15 fit the planner, then each ok waits for a block to finish.
    const moves = Array.from({ length: 20 }, (_, i) => `G1 X${i + 1} F600`);
    t.send(...moves);
    expect(t.oks()).toBe(15);
    t.clock.advance(100);
    expect(t.oks()).toBe(16);
    t.clock.advance(2000);
    expect(t.oks()).toBe(20);
  });

  it('drops bytes that arrive while the RX buffer is full and the board is busy', () => {
    const t = bench({ rxBufferBytes: 64 });
    t.send('G4 S5');
    const lines = Array.from({ length: 10 }, (_, i) => numberedLine(i + 1, 'G92 X1'));
    t.fw.write(lines.map((l) => `${l}\n`).join(''));
    expect(t.fw.stats.rxDroppedBytes).toBe(lines.join('\n').length + 1 - 64);
    t.clock.advance(5000);
    // Only the lines that fitted in 64 bytes ran; the cut-off one waits for an end of line.
    const ran = t.fw.executedLines.length;
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThan(10);
    expect(t.fw.executedLines).toEqual(Array.from({ length: ran }, (_, i) => i + 1));
    t.take();
    // The next line glues onto the fragment, which fails its checksum: the host must resend from there.
    t.sendNumbered(11, 'G92 X1');
    expect(t.take()).toEqual([`Error:checksum mismatch, Last Line: ${ran}`, `Resend: ${ran + 1}`, 'ok']);
  });

  it('does not read new lines while a command blocks, so a long G4 holds back the queue', () => {
    const t = bench();
    t.send('G4 P1000', 'M17', 'M17', 'M17', 'M17', 'M17');
    expect(t.oks()).toBe(0);
    t.clock.advance(1000);
    expect(t.oks()).toBe(6);
  });
});
