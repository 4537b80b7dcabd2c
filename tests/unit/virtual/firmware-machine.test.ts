import { describe, expect, it } from 'vitest';
import { bench } from './harness';

const WAIT_LINE = /^ T:(\d+\.\d\d) \/(\d+\.\d\d) B:(\d+\.\d\d) \/(\d+\.\d\d) @:\d+ B@:\d+ W:(\?|\d+)$/;

describe('virtual firmware: heaters', () => {
  it('heats the hotend to 200 °C in one to two minutes, not instantly', () => {
    const t = bench();
    t.send('M104 S200');
    t.clock.advance(10_000);
    const after10s = t.fw.temperatures.hotend.actual;
    expect(after10s).toBeGreaterThan(35);
    expect(after10s).toBeLessThan(60);
    const took = t.clock.advanceUntil(() => t.fw.temperatures.hotend.actual > 199, 200_000, 500) + 10_000;
    expect(took).toBeGreaterThanOrEqual(60_000);
    expect(took).toBeLessThanOrEqual(120_000);
    expect(t.fw.temperatures.hotend.target).toBe(200);
  });

  it('heats the bed more slowly, under 1 °C/s', () => {
    const t = bench();
    t.send('M140 S60');
    const start = t.fw.temperatures.bed.actual;
    t.clock.advance(10_000);
    const rate = (t.fw.temperatures.bed.actual - start) / 10;
    expect(rate).toBeGreaterThan(0.4);
    expect(rate).toBeLessThanOrEqual(1);
  });

  it('never overshoots the target and cools toward ambient when switched off', () => {
    const t = bench({ heaters: { ambientC: 21 } });
    t.send('M104 S200');
    let peak = 0;
    for (let i = 0; i < 300; i++) {
      t.clock.advance(1000);
      peak = Math.max(peak, t.fw.temperatures.hotend.actual);
    }
    expect(peak).toBeLessThanOrEqual(200);
    t.send('M104 S0');
    t.clock.advance(60_000);
    const after1min = t.fw.temperatures.hotend.actual;
    expect(after1min).toBeLessThan(150);
    t.clock.advance(30 * 60_000);
    expect(t.fw.temperatures.hotend.actual).toBeCloseTo(21, 0);
  });

  it('clamps targets to the heater maximum as Marlin does', () => {
    const t = bench();
    t.send('M104 S400', 'M140 S200');
    expect(t.fw.temperatures.hotend.target).toBe(260);
    expect(t.fw.temperatures.bed.target).toBe(140);
  });

  it('blocks M109 until the hotend settles at the target, printing a temperature line each second', () => {
    const t = bench({ busyIntervalMs: 0 });
    t.send('M109 S200', 'M17');
    t.clock.advanceUntil(() => t.oks() > 0, 200_000, 250);
    const out = t.take();
    const okAt = out.indexOf('ok');
    const waits = out.slice(0, okAt).filter((l) => WAIT_LINE.test(l));
    expect(waits.length).toBe(okAt); // nothing but wait lines before the ok
    expect(waits.length).toBeGreaterThan(60); // about one per second for a minute or more
    expect(waits[0]).toMatch(/ W:\?$/);
    expect(waits.at(-1)).toMatch(/ W:0$/);
    expect(Math.abs(t.fw.temperatures.hotend.actual - 200)).toBeLessThan(1);
    expect(out.slice(okAt)).toEqual(['ok', 'ok']);
  });

  it('does not wait on M109 S below the current temperature, but does with R', () => {
    const t = bench({ busyIntervalMs: 0, heaters: { residencyS: 0 } });
    t.send('M104 S200');
    t.clock.advance(120_000);
    t.take();
    t.send('M109 S150');
    expect(t.take()).toEqual(['ok']);
    t.send('M109 R150');
    expect(t.oks()).toBe(0);
    t.clock.advanceUntil(() => t.oks() > 0, 300_000, 500);
    expect(t.fw.temperatures.hotend.actual).toBeLessThan(151);
  });

  it('blocks M190 for the bed the same way', () => {
    const t = bench({ busyIntervalMs: 0 });
    t.send('M190 S60');
    expect(t.oks()).toBe(0);
    const took = t.clock.advanceUntil(() => t.oks() > 0, 300_000, 500);
    expect(took).toBeGreaterThan(40_000);
    expect(t.lines.some((l) => WAIT_LINE.test(l) && l.includes('B:') && l.includes('/60.00'))).toBe(true);
  });

  it('breaks out of a heating wait on M108 even though the queue is blocked', () => {
    const t = bench({ busyIntervalMs: 0 });
    t.send('M109 S200');
    t.clock.advance(5000);
    expect(t.oks()).toBe(0);
    t.send('M108');
    t.clock.advance(200);
    expect(t.oks()).toBe(2); // M109 finishes, then the queued M108 itself is acknowledged
    expect(t.fw.temperatures.hotend.target).toBe(200);
  });

  it('reports temperatures on its own every M155 interval until S0', () => {
    const t = bench();
    t.send('M155 S2');
    t.take();
    t.clock.advance(6000);
    const reports = t.take();
    expect(reports).toHaveLength(3);
    for (const r of reports) expect(r).toMatch(/^ T:\d+\.\d\d \/0\.00 B:\d+\.\d\d \/0\.00 @:0 B@:0$/);
    t.send('M155 S0');
    t.take();
    t.clock.advance(6000);
    expect(t.take()).toEqual([]);
  });

  it('treats M155 as unknown when auto-report is disabled', () => {
    const t = bench({ autoReport: false });
    t.send('M155 S2');
    expect(t.take()).toEqual(['echo:Unknown command: "M155 S2"', 'ok']);
  });
});

describe('virtual firmware: motion', () => {
  it('homes in simulated time, sending busy: processing meanwhile, then reports the position', () => {
    const t = bench();
    t.send('G92 X50 Y50 Z5', 'G28');
    t.take();
    t.clock.advance(2000);
    expect(t.take()).toEqual(['echo:busy: processing']);
    const took = t.clock.advanceUntil(() => t.oks() > 0, 60_000) + 2000;
    expect(took).toBeGreaterThan(4000);
    const rest = t.take();
    expect(rest.slice(-2)).toEqual(['X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0', 'ok']);
    expect(rest.slice(0, -2).every((l) => l === 'echo:busy: processing')).toBe(true);
  });

  it('homes only the axes named in G28', () => {
    const t = bench();
    t.send('G92 X50 Y50 Z5', 'G28 X');
    t.clock.advance(60_000);
    expect(t.fw.position).toEqual({ x: 0, y: 50, z: 5, e: 0 });
  });

  it('takes time proportional to distance over feedrate', () => {
    const t = bench();
    t.send('G1 X100 F6000', 'M400');
    t.clock.advance(999);
    expect(t.oks()).toBe(1);
    t.clock.advance(1);
    expect(t.oks()).toBe(2);
  });

  it('tracks absolute and relative modes, M82/M83 and G92', () => {
    const t = bench();
    t.send('M104 S200');
    t.clock.advance(120_000);
    t.send('G90', 'G1 X10 Y10 Z1', 'G91', 'G1 X5 E2', 'M82', 'G1 E10', 'G90', 'M83', 'G1 X1 E1', 'G92 E0');
    t.clock.advance(10_000);
    expect(t.fw.position).toEqual({ x: 1, y: 10, z: 1, e: 0 });
    t.take();
    t.send('G92 X20.5', 'M114');
    expect(t.take()).toEqual(['ok', 'X:20.50 Y:10.00 Z:1.00 E:0.00 Count X:1640 Y:800 Z:400', 'ok']);
  });

  it('refuses to extrude with a cold hotend', () => {
    const t = bench();
    t.send('G1 X1 E5 F600');
    expect(t.take()).toEqual(['echo: cold extrusion prevented', 'ok']);
  });

  it('extrudes cold after M302 P1 and refuses again after M302 P0', () => {
    const t = bench();
    t.send('M302', 'M302 P1', 'M302', 'G1 X1 E5 F600');
    expect(t.take()).toEqual(['echo:Cold extrudes are disabled (min temp 170C)', 'ok', 'ok', 'echo:Cold extrudes are enabled (min temp 170C)', 'ok', 'ok']);
    t.clock.advance(10_000);
    expect(t.fw.position.e).toBe(5);
    t.send('M302 P0', 'G1 X2 E6 F600');
    expect(t.take()).toEqual(['ok', 'echo: cold extrusion prevented', 'ok']);
  });

  it('takes the minimum extrusion temperature from M302 S, with S0 allowing cold extrusion', () => {
    const t = bench();
    t.send('M302 S0', 'M302');
    expect(t.take()).toEqual(['ok', 'echo:Cold extrudes are enabled (min temp 0C)', 'ok']);
    t.send('M302 S10', 'G1 X1 E1 F600'); // the hotend sits at ambient, above 10 °C
    expect(t.take()).toEqual(['ok', 'ok']);
  });

  it('keeps the fan speed and progress from M106/M107/M73', () => {
    const t = bench();
    t.send('M106 S128', 'M73 P42');
    expect(t.fw.fanSpeed).toBe(128);
    expect(t.fw.progress).toBe(42);
    t.send('M107');
    expect(t.fw.fanSpeed).toBe(0);
  });

  it('waits for moves to finish on M400 and dwells on G4', () => {
    const t = bench();
    t.send('G1 X10 F600', 'M400', 'G4 P500');
    expect(t.oks()).toBe(1);
    t.clock.advance(1000);
    expect(t.oks()).toBe(2);
    t.clock.advance(500);
    expect(t.oks()).toBe(3);
  });
});

describe('virtual firmware: identity, reset and kill', () => {
  it('describes itself with M115: FIRMWARE_NAME, then one Cap line each, then ok', () => {
    const t = bench({ advancedOk: true, machineName: 'Farm MK1' });
    t.send('M115');
    const out = t.take();
    expect(out[0]).toMatch(/^FIRMWARE_NAME:Marlin 2\.\d+\.\d+.* PROTOCOL_VERSION:1\.0 MACHINE_TYPE:Farm MK1 EXTRUDER_COUNT:1 /);
    for (const cap of ['AUTOREPORT_TEMP:1', 'AUTOREPORT_POS:1', 'EMERGENCY_PARSER:1', 'HOST_ACTION_COMMANDS:1', 'EXTENDED_M20:1', 'ADVANCED_OK:1']) {
      expect(out).toContain(`Cap:${cap}`);
    }
    expect(out.at(-1)).toMatch(/^ok /);
  });

  it('reflects disabled options in its capabilities', () => {
    const t = bench({ autoReport: false });
    t.send('M115');
    const out = t.take();
    expect(out).toContain('Cap:AUTOREPORT_TEMP:0');
    expect(out).toContain('Cap:ADVANCED_OK:0');
  });

  it('sends start and a banner on reset and starts counting lines from zero again', () => {
    const t = bench();
    t.sendNumbered(1, 'M17', 'M17');
    t.take();
    t.fw.reset();
    const out = t.take();
    expect(out[0]).toBe('start');
    expect(out.some((l) => l.startsWith('echo:Marlin'))).toBe(true);
    t.sendNumbered(1, 'M17');
    expect(t.take()).toEqual(['ok']);
  });

  it('loses bytes that arrive while the board boots after a reset', () => {
    const t = bench({ bootMs: 1500 });
    t.fw.reset();
    t.send('M17');
    expect(t.take()).toEqual([]);
    t.clock.advance(1500);
    expect(t.take()[0]).toBe('start');
    t.send('M17');
    expect(t.take()).toEqual(['ok']);
  });

  it('halts on M112 even while a long command blocks the queue: heaters off, no more answers', () => {
    const t = bench();
    t.send('M104 S200', 'M140 S60', 'G28');
    t.clock.advance(500);
    t.take();
    t.send('M112');
    expect(t.take()).toEqual(['Error:Printer halted. kill() called!']);
    expect(t.fw.state).toBe('killed');
    expect(t.fw.temperatures.hotend.target).toBe(0);
    expect(t.fw.temperatures.bed.target).toBe(0);
    t.send('M105');
    t.clock.advance(60_000);
    expect(t.take()).toEqual([]);
    t.fw.reset();
    expect(t.take()[0]).toBe('start');
    t.send('M17');
    expect(t.take().at(-1)).toBe('ok');
  });

  it('answers M999 with a resend request for the next line', () => {
    const t = bench();
    t.sendNumbered(1, 'M17');
    t.take();
    t.send('M999');
    expect(t.take()).toEqual(['Resend: 2', 'ok', 'ok']);
  });

  it('stops all timers on close', () => {
    const t = bench();
    t.send('M155 S1', 'G4 S10');
    t.fw.close();
    expect(t.clock.pendingTimers).toBe(0);
  });
});
