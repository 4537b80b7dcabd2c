import { describe, expect, it } from 'vitest';
import { MarlinHost, type MarlinHostOptions } from '../../../electron/core/printers/marlin/host';
import { frameLine, parseFramedLine } from '../../../electron/core/printers/marlin/framing';
import { JobStreamer } from '../../../electron/core/printers/marlin/job-streamer';
import { BootingBoard } from './booting-board';
import { FakeBoard, type FakeBoardOptions } from './fake-board';
import { gcodeLines, ManualClock, textSource, until } from './support';

/** A board with auto-reset (it prints `start` after the DTR pulse), like most USB-serial Marlin boards. */
async function connected(board: FakeBoardOptions = {}, host: MarlinHostOptions = {}) {
  const fake = new FakeBoard({ resettable: true, ...board });
  const clock = host.clock ?? new ManualClock();
  const h = new MarlinHost({ clock, temperatureIntervalS: 0, ...host });
  await h.connect(fake);
  return { fake, host: h, clock };
}

async function streamLines(host: MarlinHost, lines: string[]) {
  const job = new JobStreamer(host, textSource('test.gcode', lines.join('\n') + '\n'));
  job.start();
  return job.done;
}

const numbered = (received: string[]) => received.filter((l) => /^N\d+ /.test(l)).map((l) => Number(/^N(\d+)/.exec(l)![1]));

describe('MarlinHost handshake', () => {
  it('says hello with a numbered M110 and reads the firmware name and capabilities', async () => {
    const { fake, host } = await connected({ capabilities: { EMERGENCY_PARSER: true, AUTOREPORT_TEMP: false } });
    expect(fake.received[0]).toBe('N0 M110 N0*125');
    expect(fake.received[1]).toBe('N1 M115*39');
    expect(host.state()).toEqual({ kind: 'ready' });
    expect(host.firmwareInfo()).toMatchObject({ report: { name: 'Marlin 2.1.2 (fake)', machineType: 'Fake3D' }, capabilities: { EMERGENCY_PARSER: true, AUTOREPORT_TEMP: false } });
  });

  it('repeats the hello until a board that was still booting answers', async () => {
    const clock = new ManualClock();
    const fake = new FakeBoard({ ignoreHellos: 2, resettable: true });
    const host = new MarlinHost({ clock, temperatureIntervalS: 0, helloIntervalMs: 1000, helloSettleMs: 300 });
    const connecting = host.connect(fake);
    await until(() => fake.received.length === 1, 'first hello');
    clock.advance(1000);
    clock.advance(1000);
    const oks: string[] = [];
    host.events.on('received', (r) => oks.push(r.line));
    await until(() => oks.includes('ok'), 'the answer to the third hello');
    // Three hellos went out, so the host waits a quiet moment for answers to the other two.
    clock.advance(300);
    await connecting;
    expect(fake.received.filter((l) => l.includes('M110')).length).toBe(3);
    expect(host.state().kind).toBe('ready');
  });

  it('pulses DTR before the hello when the link can reset the board', async () => {
    const { fake } = await connected({ resettable: true });
    expect(fake.resets).toBe(1);
  });

  it('gives up with a clear message when the board never answers', async () => {
    const clock = new ManualClock();
    const fake = new FakeBoard({ ignoreHellos: 1000, resettable: true });
    const host = new MarlinHost({ clock, connectTimeoutMs: 5000, linkName: '/dev/ttyUSB0' });
    const connecting = host.connect(fake);
    const outcome = expect(connecting).rejects.toThrow(/\/dev\/ttyUSB0 did not answer within 5 s.*baud rate/);
    await until(() => fake.received.length === 1, 'first hello');
    clock.advance(5000);
    await outcome;
    expect(host.state().kind).toBe('disconnected');
  });

  it('turns on temperature auto-reporting when the firmware offers it instead of polling', async () => {
    const { fake } = await connected({ capabilities: { AUTOREPORT_TEMP: true } }, { temperatureIntervalS: 2 });
    expect(fake.executed).toContain('M155 S2');
    expect(fake.executed).not.toContain('M105');
  });

  it('polls M105 when the firmware cannot auto-report', async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected({}, { clock, temperatureIntervalS: 2 });
    const temps: unknown[] = [];
    host.events.on('temperatures', (t) => temps.push(t));
    await until(() => temps.length > 0, 'the first temperature report');
    clock.advance(2000);
    await until(() => temps.length > 1, 'the second temperature report');
    expect(fake.executed.filter((c) => c === 'M105').length).toBe(2);
    expect(temps[0]).toEqual({ T: { actual: 20, target: 0 }, B: { actual: 20, target: 0 } });
  });
});

describe('MarlinHost handshake after a DTR reset', () => {
  const hellos = (lines: readonly string[]) => lines.filter((l) => l === frameLine(0, 'M110 N0')).length;
  /** Waits for the DTR pulse, then one more turn so the host has set its timers before the test moves the clock. */
  const afterReset = async (resets: () => number) => {
    await until(() => resets() === 1, 'the reset');
    await new Promise((r) => setImmediate(r));
  };

  it('says nothing while the board boots and says hello as soon as it prints start', async () => {
    const clock = new ManualClock();
    const booting = new BootingBoard(clock, 1500);
    const host = new MarlinHost({ clock, temperatureIntervalS: 0, helloIntervalMs: 1000, startWaitMs: 2000 });
    const connecting = host.connect(booting);
    await afterReset(() => booting.board.resets);
    clock.advance(1000);
    expect(booting.heldDuringBoot).toEqual([]);
    clock.advance(500);
    await connecting;
    expect(hellos(booting.board.received)).toBe(1);
    expect(host.firmwareInfo()?.report.name).toBe('Marlin 2.1.2 (fake)');
    await expect(host.send('M114')).resolves.toEqual(['X:10.00 Y:20.00 Z:5.00 E:1.50 Count X:800 Y:1600 Z:2000']);
  });

  it('ignores the late answers to hellos a booting board held back, so replies stay paired with commands', async () => {
    const clock = new ManualClock();
    // The boot outlasts the wait for start: hellos go out at 2, 3 and 4 s and are all answered after start.
    const booting = new BootingBoard(clock, 4500);
    const host = new MarlinHost({ clock, temperatureIntervalS: 0, helloIntervalMs: 1000, startWaitMs: 2000, helloSettleMs: 300 });
    const oks: string[] = [];
    host.events.on('received', (r) => r.response.kind === 'ok' && oks.push(r.line));
    const connecting = host.connect(booting);
    await afterReset(() => booting.board.resets);
    clock.advance(4500);
    expect(booting.heldDuringBoot).toEqual([frameLine(0, 'M110 N0'), frameLine(0, 'M110 N0'), frameLine(0, 'M110 N0')]);
    // Three held hellos plus the one sent on start: four oks, none of them for M115.
    await until(() => oks.length === 4, 'the answers to every hello');
    expect(booting.board.received.some((l) => l.includes('M115'))).toBe(false);
    clock.advance(300);
    await connecting;
    expect(host.firmwareInfo()?.report.name).toBe('Marlin 2.1.2 (fake)');
    await expect(host.send('M114')).resolves.toEqual(['X:10.00 Y:20.00 Z:5.00 E:1.50 Count X:800 Y:1600 Z:2000']);
  });

  it('says hello after the start wait when a board does not reset (native USB) and never prints start', async () => {
    const clock = new ManualClock();
    const fake = new FakeBoard({ resettable: false });
    const host = new MarlinHost({ clock, temperatureIntervalS: 0, startWaitMs: 2000 });
    const connecting = host.connect(fake);
    await afterReset(() => fake.resets);
    clock.advance(1999);
    expect(fake.received).toEqual([]);
    clock.advance(1);
    await connecting;
    expect(hellos(fake.received)).toBe(1);
    expect(host.state().kind).toBe('ready');
  });

  it('says hello at once without a reset wait when the handshake is hello only', async () => {
    const fake = new FakeBoard({ resettable: false });
    const host = new MarlinHost({ clock: new ManualClock(), temperatureIntervalS: 0, handshake: 'hello' });
    await host.connect(fake);
    expect(fake.resets).toBe(0);
    expect(host.state().kind).toBe('ready');
  });
});

describe('MarlinHost position reports', () => {
  const position = 'X:1.00 Y:2.00 Z:3.00 E:4.00 Count X:80 Y:160 Z:1200';

  it('turns on AUTOREPORT_POS when the firmware offers it and passes the positions on', async () => {
    const { fake, host } = await connected({ capabilities: { AUTOREPORT_POS: true }, handle: (c) => (c === 'G28' ? 'hold' : undefined) }, { temperatureIntervalS: 2 });
    expect(fake.executed).toContain('M154 S2');
    const positions: unknown[] = [];
    host.events.on('position', (p) => positions.push(p));
    const attributed: (string | null)[] = [];
    host.events.on('received', (r) => r.response.kind === 'position' && attributed.push(r.for));
    const homing = host.send('G28');
    await until(() => fake.isHolding(), 'G28 running');
    fake.emit(position);
    await until(() => positions.length === 1, 'a position report');
    expect(positions[0]).toEqual({ x: 1, y: 2, z: 3, e: 4 });
    fake.release();
    // The report arrived while G28 waited, but it is not G28's answer (nor shown as the user's output).
    await expect(homing).resolves.toEqual([]);
    expect(attributed).toEqual([null]);
    // M114's own answer still is.
    await expect(host.send('M114')).resolves.toEqual(['X:10.00 Y:20.00 Z:5.00 E:1.50 Count X:800 Y:1600 Z:2000']);
    expect(attributed).toEqual([null, 'user']);
  });

  it('uses an explicit position interval', async () => {
    const { fake } = await connected({ capabilities: { AUTOREPORT_POS: true } }, { temperatureIntervalS: 2, positionIntervalS: 1 });
    expect(fake.executed).toContain('M154 S1');
  });

  it('does not send M154 when the firmware does not offer AUTOREPORT_POS, and M114 still answers', async () => {
    const { fake, host } = await connected({ capabilities: { AUTOREPORT_TEMP: true } }, { temperatureIntervalS: 2 });
    expect(fake.executed).toContain('M155 S2');
    expect(fake.executed.some((c) => c.startsWith('M154'))).toBe(false);
    await expect(host.send('M114')).resolves.toEqual(['X:10.00 Y:20.00 Z:5.00 E:1.50 Count X:800 Y:1600 Z:2000']);
  });

  it('leaves position reports off when status reporting is turned off', async () => {
    const { fake } = await connected({ capabilities: { AUTOREPORT_POS: true } }, { temperatureIntervalS: 0 });
    expect(fake.executed.some((c) => c.startsWith('M154'))).toBe(false);
  });
});

describe('MarlinHost commands', () => {
  it('returns the lines printed before the ok of an interactive command', async () => {
    const { host } = await connected();
    await expect(host.send('M114')).resolves.toEqual(['X:10.00 Y:20.00 Z:5.00 E:1.50 Count X:800 Y:1600 Z:2000']);
  });

  it('returns the answer a firmware prints on the ok line itself', async () => {
    const { host } = await connected();
    await expect(host.send('M105')).resolves.toEqual(['T:20.0 /0.0 B:20.0 /0.0 @:0 B@:0']);
  });

  it('numbers and checksums every line it streams', async () => {
    const { fake, host } = await connected();
    const outcome = await streamLines(host, ['G28 ; home', '', 'G1 X1', 'M73 P50']);
    expect(outcome).toEqual({ kind: 'completed', lines: 3 });
    expect(fake.received.slice(2).map(parseFramedLine)).toEqual([
      { lineNumber: 2, command: 'G28' },
      { lineNumber: 3, command: 'G1 X1' },
      { lineNumber: 4, command: 'M73 P50' },
    ]);
  });

  it('interleaves an interactive command with a running stream without losing either', async () => {
    const { fake, host } = await connected();
    const lines = gcodeLines(200);
    const job = new JobStreamer(host, textSource('t.gcode', lines.join('\n')));
    job.start();
    await until(() => fake.executed.length > 50, 'streaming');
    const answer = await host.send('M114');
    expect(answer[0]).toMatch(/^X:10.00/);
    await job.done;
    expect(fake.executed.filter((c) => c.startsWith('G1'))).toEqual(lines);
    expect(fake.executed).toContain('M114');
  });

  it('writes an emergency stop at once, unnumbered, ahead of queued commands', async () => {
    const { fake, host } = await connected({ handle: (c) => (c === 'G28' ? 'hold' : undefined) });
    const homing = host.send('G28');
    const queued = host.send('G1 X10');
    await until(() => fake.isHolding(), 'G28 running');
    await host.sendEmergency('M112');
    expect(fake.received.at(-1)).toBe('M112');
    expect(fake.received.some((l) => l.includes('G1 X10'))).toBe(false);
    expect(host.state()).toMatchObject({ kind: 'halted', message: expect.stringMatching(/Emergency stop/) });
    await expect(homing).rejects.toThrow(/Emergency stop/);
    await expect(queued).rejects.toThrow(/Emergency stop/);
  });

  it('breaks a heating wait with M108 out of band and keeps the ok count right', async () => {
    const { fake, host } = await connected({ handle: (c) => (c.startsWith('M109') ? 'hold' : undefined) });
    const heating = host.send('M109 S200');
    await until(() => fake.isHolding(), 'M109 waiting');
    await host.send('M108');
    await heating;
    await expect(host.send('M114')).resolves.toHaveLength(1);
    expect(fake.received).toContain('M108');
  });

  it('does not poll M105 while M109 runs, and polls again afterwards', async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected({ handle: (c) => (c.startsWith('M109') ? 'hold' : undefined) }, { clock, temperatureIntervalS: 1 });
    await until(() => fake.executed.includes('M105'), 'first poll');
    const before = fake.received.length;
    const heating = host.send('M109 S200');
    await until(() => fake.isHolding(), 'M109 waiting');
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      await new Promise((r) => setImmediate(r));
    }
    expect(fake.received.slice(before).filter((l) => l.includes('M105'))).toEqual([]);
    fake.release(['T:200.0 E:0 W:0']);
    await heating;
    clock.advance(1000);
    await until(() => fake.received.slice(before).some((l) => l.includes('M105')), 'poll after M109');
  });

  it('halts on a fatal firmware error and fails what was waiting', async () => {
    const { fake, host } = await connected({ handle: (c) => (c === 'G28' ? 'hold' : undefined) });
    const homing = host.send('G28');
    await until(() => fake.isHolding(), 'G28 running');
    fake.emit('Error:Thermal Runaway, system stopped! Heater_ID: 0', 'Error:Printer halted. kill() called!');
    await expect(homing).rejects.toThrow(/Thermal Runaway/);
    expect(host.state()).toMatchObject({ kind: 'halted', message: expect.stringMatching(/Thermal Runaway/) });
    await expect(host.send('G1 X1')).rejects.toMatchObject({ code: 'printer_error' });
  });

  it('reports action commands from the firmware', async () => {
    const { fake, host } = await connected();
    const actions: string[] = [];
    host.events.on('action', (a) => actions.push(`${a.action}:${a.argument}`));
    fake.emit('//action:pause', '// action:notification Filament out');
    await until(() => actions.length === 2, 'actions');
    expect(actions).toEqual(['pause:', 'notification:Filament out']);
  });

  it('runs the handshake again when the board resets itself', async () => {
    const { fake, host } = await connected();
    const states: string[] = [];
    host.events.on('state', (s) => states.push(s.kind));
    fake.emit('start');
    await until(() => states.includes('ready'), 'ready again');
    expect(states).toEqual(['connecting', 'ready']);
    expect(fake.received.filter((l) => l === 'N0 M110 N0*125').length).toBe(2);
    await expect(host.send('M114')).resolves.toHaveLength(1);
  });
});

describe('MarlinHost resend recovery', () => {
  const forms = ['Resend: ', 'Resend:', 'rs '] as const;
  for (const form of forms) {
    for (const okAfterResend of [true, false]) {
      it(`executes every line once and in order after "${form.trim()}" requests ${okAfterResend ? 'followed by ok' : 'without an ok'}`, async () => {
        const clock = new ManualClock();
        const corruptAt = new Set([5, 6, 17, 40]);
        const { fake, host } = await connected(
          { resendForm: form, okAfterResend, corrupt: (n, attempt) => corruptAt.has(n) && attempt === 1 },
          { clock, resendFollowedByOk: okAfterResend ? 'detect' : 'no' },
        );
        const lines = gcodeLines(60);
        const outcome = await streamLines(host, lines);
        expect(outcome).toEqual({ kind: 'completed', lines: 60 });
        expect(fake.executed.filter((c) => c.startsWith('G1'))).toEqual(lines);
        expect(host.resends()).toBe(4);
      });
    }
  }

  it('learns that a firmware sends no ok after Resend and keeps streaming', async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected({ okAfterResend: false, corrupt: (n, attempt) => (n === 4 || n === 9) && attempt === 1 }, { clock, resendOkWaitMs: 500 });
    const lines = gcodeLines(20);
    const job = new JobStreamer(host, textSource('t.gcode', lines.join('\n')));
    job.start();
    await until(() => fake.received.filter((l) => l.startsWith('N4 ')).length === 1 && host.resends() === 1, 'first resend');
    clock.advance(500);
    const outcome = await job.done;
    expect(outcome.kind).toBe('completed');
    expect(fake.executed.filter((c) => c.startsWith('G1'))).toEqual(lines);
  });

  it('recovers resends with several lines in flight', async () => {
    const corruptAt = new Set([10, 11, 30, 31, 32, 77]);
    const { fake, host } = await connected({ corrupt: (n, attempt) => corruptAt.has(n) && attempt === 1 }, { window: { kind: 'lines', lines: 4 } });
    const lines = gcodeLines(120);
    const outcome = await streamLines(host, lines);
    expect(outcome).toEqual({ kind: 'completed', lines: 120 });
    expect(fake.executed.filter((c) => c.startsWith('G1'))).toEqual(lines);
  });

  it('keeps several lines in flight when windowed', async () => {
    const { fake, host } = await connected({ handle: (c) => (c === 'G4 P1' ? 'hold' : undefined) }, { window: { kind: 'lines', lines: 4 } });
    const job = new JobStreamer(host, textSource('t.gcode', ['G4 P1', ...gcodeLines(10)].join('\n')));
    job.start();
    await until(() => fake.isHolding(), 'dwell running');
    await until(() => fake.received.length >= 2 + 4, 'window filled');
    await new Promise((r) => setImmediate(r));
    expect(numbered(fake.received).slice(-4)).toEqual([2, 3, 4, 5]);
    fake.release();
    expect((await job.done).kind).toBe('completed');
  });

  it('fills an ADVANCED_OK window up to its line cap once the firmware has reported free slots', async () => {
    const { fake, host } = await connected({ advancedOk: true, handle: (c) => (c === 'G4 P1' ? 'hold' : undefined) }, { window: { kind: 'advancedOk', maxLines: 4 } });
    const job = new JobStreamer(host, textSource('t.gcode', ['G4 P1', ...gcodeLines(10)].join('\n')));
    job.start();
    await until(() => fake.isHolding(), 'dwell running');
    await until(() => numbered(fake.received).length >= 2 + 4, 'window of 4 filled');
    await new Promise((r) => setImmediate(r));
    expect(numbered(fake.received).slice(-4)).toEqual([2, 3, 4, 5]);
    fake.release();
    expect((await job.done).kind).toBe('completed');
  });

  it('falls back to the configured line window when the firmware does not report ADVANCED_OK', async () => {
    const { fake, host } = await connected({ handle: (c) => (c === 'G4 P1' ? 'hold' : undefined) }, { window: { kind: 'advancedOk', maxLines: 8, fallbackLines: 3 } });
    const job = new JobStreamer(host, textSource('t.gcode', ['G4 P1', ...gcodeLines(10)].join('\n')));
    job.start();
    await until(() => fake.isHolding(), 'dwell running');
    await until(() => numbered(fake.received).length >= 2 + 2, 'window of 3 filled');
    await new Promise((r) => setImmediate(r));
    expect(numbered(fake.received).slice(-3)).toEqual([2, 3, 4]);
    fake.release();
    expect((await job.done).kind).toBe('completed');
  });
});

describe('MarlinHost timeouts and failures', () => {
  it('does not hang when an ok is lost: it nudges and carries on', async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected({ dropOk: (n) => n === 12 }, { clock, communicationTimeoutMs: 3000 });
    const notices: string[] = [];
    host.events.on('notice', (n) => notices.push(n));
    const lines = gcodeLines(30);
    const job = new JobStreamer(host, textSource('t.gcode', lines.join('\n')));
    job.start();
    // M115 and lines N2..N12 ran; the ok of N12 never came.
    await until(() => fake.executed.length === 1 + 11 && fake.received.length === 2 + 11, 'stalled on the lost ok');
    await new Promise((r) => setImmediate(r));
    clock.advance(3000);
    const outcome = await job.done;
    expect(outcome.kind).toBe('completed');
    expect(fake.received).toContain(frameLine(13, 'M105'));
    expect(fake.executed.filter((c) => c.startsWith('G1'))).toEqual(lines);
    expect(notices.some((n) => /lost "ok"/.test(n))).toBe(true);
  });

  it("re-sends the last job line when the line itself was lost, instead of taking the nudge's ok for it", async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected({}, { clock, communicationTimeoutMs: 3000 });
    const lines = gcodeLines(10);
    // The last job line (N11: the hello is N0, M115 N1) never reaches the board.
    const lost = frameLine(11, lines[9]!);
    const write = fake.write.bind(fake);
    let dropped = false;
    fake.write = async (data) => {
      if (!dropped && data.includes(lost)) {
        dropped = true;
        data = data.replace(`${lost}\n`, '');
      }
      return write(data);
    };
    const job = new JobStreamer(host, textSource('t.gcode', lines.join('\n')));
    let finished = false;
    void job.done.then(() => (finished = true));
    job.start();
    await until(() => dropped && fake.executed.length === 1 + 9, 'the last line lost');
    await new Promise((r) => setImmediate(r));
    clock.advance(3000);
    const outcome = await job.done;
    expect(finished).toBe(true);
    expect(outcome).toEqual({ kind: 'completed', lines: 10 });
    // The numbered nudge made the board ask for the lost line, which then ran.
    expect(fake.received).toContain(frameLine(12, 'M105'));
    expect(fake.executed.filter((c) => c.startsWith('G1'))).toEqual(lines);
    await expect(host.send('M114')).resolves.toHaveLength(1);
  });

  it('keeps a slow command alive past the communication timeout while the firmware says busy', async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected({ handle: (c) => (c === 'G1 X5' ? 'hold' : undefined) }, { clock, communicationTimeoutMs: 3000 });
    const busy: string[] = [];
    host.events.on('received', (r) => r.response.kind === 'busy' && busy.push(r.line));
    const move = host.send('G1 X5');
    await until(() => fake.isHolding(), 'G1 running');
    for (let i = 1; i <= 5; i++) {
      clock.advance(2000);
      fake.emit('echo:busy: processing');
      await until(() => busy.length === i, 'a busy message');
    }
    // 10 s in all, over three times the timeout, without a nudge.
    expect(fake.received.some((l) => l.includes('M105'))).toBe(false);
    fake.release();
    await expect(move).resolves.toEqual([]);
    expect(host.state().kind).toBe('ready');
  });

  for (const command of ['M109 S200', 'M190 S60', 'G28']) {
    it(`never times out while ${command.split(' ')[0]} runs`, async () => {
      const clock = new ManualClock();
      const { fake, host } = await connected({ handle: (c) => (c === command ? 'hold' : undefined) }, { clock, communicationTimeoutMs: 1000 });
      const running = host.send(command);
      await until(() => fake.isHolding(), `${command} running`);
      clock.advance(60_000);
      expect(fake.received.some((l) => l.includes('M105'))).toBe(false);
      fake.release();
      await running;
      expect(host.state().kind).toBe('ready');
    });
  }

  it('ends the job as interrupted with a clear reason when the board restarts mid-print', async () => {
    const { fake, host } = await connected({ handle: (c) => (c === 'G1 X9 Y63 E0.09' ? 'hold' : undefined) });
    const job = new JobStreamer(host, textSource('t.gcode', gcodeLines(50).join('\n')));
    job.start();
    await until(() => fake.isHolding(), 'line 10 running');
    fake.emit('start');
    const outcome = await job.done;
    expect(outcome).toEqual({ kind: 'interrupted', atLine: 10, reason: expect.stringMatching(/printer restarted during the print.*board reset/) });
    // The host says hello again (the reconnection itself is pinned by "runs the handshake again when the board resets itself").
    await until(() => fake.received.filter((l) => l === frameLine(0, 'M110 N0')).length === 2, 'a new hello');
  });

  it('never times out while a blocking command runs', async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected({ handle: (c) => (c === 'G29' ? 'hold' : undefined) }, { clock, communicationTimeoutMs: 1000 });
    const probing = host.send('G29');
    await until(() => fake.isHolding(), 'G29 running');
    clock.advance(60_000);
    expect(fake.received).not.toContain('M105');
    fake.release();
    await probing;
    expect(host.state().kind).toBe('ready');
  });

  it('marks a job interrupted at the first unconfirmed line when the link drops, and stays usable', async () => {
    const { fake, host } = await connected({ handle: (c) => (c === 'G1 X20 Y140 E0.20' ? 'hold' : undefined) });
    const lines = gcodeLines(100);
    const job = new JobStreamer(host, textSource('t.gcode', lines.join('\n')));
    job.start();
    await until(() => fake.isHolding(), 'line 21 running');
    fake.unplug();
    const outcome = await job.done;
    expect(outcome).toEqual({ kind: 'interrupted', atLine: 21, reason: 'The device was unplugged.' });
    expect(host.state()).toEqual({ kind: 'disconnected', reason: 'The device was unplugged.' });
    const again = new FakeBoard({ resettable: true });
    await host.connect(again);
    await expect(streamLines(host, gcodeLines(5))).resolves.toEqual({ kind: 'completed', lines: 5 });
  });

  it('marks a job interrupted when the firmware halts mid-print', async () => {
    const { fake, host } = await connected({ handle: (c) => (c === 'G1 X9 Y63 E0.09' ? 'hold' : undefined) });
    const job = new JobStreamer(host, textSource('t.gcode', gcodeLines(50).join('\n')));
    job.start();
    await until(() => fake.isHolding(), 'line 10 running');
    fake.emit('Error:MAXTEMP triggered, system stopped! Heater_ID: 0');
    const outcome = await job.done;
    expect(outcome).toMatchObject({ kind: 'interrupted', atLine: 10, reason: expect.stringMatching(/MAXTEMP/) });
  });

  it('declares the link dead after repeated unanswered nudges', async () => {
    const clock = new ManualClock();
    const { fake, host } = await connected(
      { handle: (c) => (c === 'G1 X1' ? [] : undefined), dropOk: (n) => n >= 2 },
      { clock, communicationTimeoutMs: 1000, maxConsecutiveTimeouts: 2 },
    );
    const move = host.send('G1 X1');
    fake.write = async () => undefined; // the board goes silent
    await new Promise((r) => setImmediate(r));
    clock.advance(1000);
    clock.advance(1000);
    clock.advance(1000);
    await expect(move).rejects.toThrow(/stopped answering/);
    expect(host.state().kind).toBe('disconnected');
  });
});
