import { afterEach, describe, expect, it } from 'vitest';
import { MarlinDriver, type JobReport } from '../../../electron/core/printers/marlin/driver';
import { systemClock } from '../../../electron/core/ports/clock';
import { VirtualFirmware, type VirtualFirmwareOptions } from '../../../electron/core/printers/virtual/firmware';
import { createInProcessLink } from '../../../electron/core/printers/virtual/in-process-link';
import { createScaledClock } from '../../../electron/core/printers/virtual/scaled-clock';
import { gcodeLines, textSource, until } from './support';

const firmwares: VirtualFirmware[] = [];
const drivers: MarlinDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.dispose();
  for (const f of firmwares.splice(0)) f.close();
});

function setup(fwOptions: VirtualFirmwareOptions = {}) {
  // Simulated time runs fast so moves do not slow the tests down.
  const fw = new VirtualFirmware({ clock: createScaledClock(systemClock, 200), ...fwOptions });
  firmwares.push(fw);
  const driver = new MarlinDriver({ transport: () => createInProcessLink(fw), options: { host: { temperatureIntervalS: 1 }, scripts: { pause: ['G91', 'G90'] } } });
  drivers.push(driver);
  const console: string[] = [];
  driver.onConsole((e) => console.push(`${e.direction}:${e.line}`));
  return { fw, driver, console };
}

/** What the printer's own buttons or its filament sensor make Marlin print: M118 A1 echoes `//action:…`. */
const printerSays = (driver: MarlinDriver, action: string) => driver.sendCommand(`M118 A1 action:${action}`);

describe('MarlinDriver action commands from the printer', () => {
  it('pauses, resumes and cancels the job when the printer asks with //action:', async () => {
    const { fw, driver } = setup();
    await driver.connect();
    const reports: JobReport[] = [];
    driver.onJob((r) => reports.push(r));
    await driver.startPrint(textSource('long.gcode', ['G28', ...gcodeLines(20_000).map((l) => `${l} F3000`)].join('\n'), 4096));
    await until(() => fw.executedLines.length > 30, 'printing');

    await printerSays(driver, 'pause');
    await until(() => driver.status().state.kind === 'paused', 'paused');
    const pausedAt = fw.executedLines.length;

    await printerSays(driver, 'resume');
    await until(() => driver.status().state.kind === 'printing', 'printing again');
    await until(() => fw.executedLines.length > pausedAt + 20, 'streaming after the resume');

    await printerSays(driver, 'cancel');
    await until(() => reports.length === 1, 'job end');
    expect(reports[0]!.outcome.kind).toBe('cancelled');
    expect(driver.status().state).toEqual({ kind: 'idle' });
  });

  it('logs a pause and resume the printer made by itself, without touching the job', async () => {
    const { fw, driver, console } = setup();
    await driver.connect();
    await driver.startPrint(
      textSource(
        'long.gcode',
        gcodeLines(20_000)
          .map((l) => `${l} F3000`)
          .join('\n'),
        4096,
      ),
    );
    await until(() => fw.executedLines.length > 30, 'printing');
    await printerSays(driver, 'paused filament runout');
    await printerSays(driver, 'resumed');
    await until(() => console.some((l) => l === 'info:The printer resumed the print.'), 'the resume logged');
    expect(console).toContain('info:The printer paused the print by itself (filament runout). Resume it on the printer.');
    expect(driver.status().state.kind).toBe('printing');
    const before = fw.executedLines.length;
    await until(() => fw.executedLines.length > before + 20, 'still streaming');
  });
});

describe('MarlinDriver position', () => {
  it('follows the position from AUTOREPORT_POS reports, without asking for it', async () => {
    const { driver, console } = setup();
    await driver.connect();
    expect(console.some((l) => /^sent:N\d+ M154 S1\*\d+$/.test(l))).toBe(true);
    await driver.sendCommand('G28');
    await driver.sendCommand('G1 X30 Y40 F6000');
    // No M114 follows a console command: only the auto-report can bring the new position.
    await until(() => driver.status().position?.x === 30 && driver.status().position?.y === 40, 'the reported position');
  });

  it('reads the position after moves when the firmware cannot auto-report it', async () => {
    const { driver, console } = setup({ autoReport: false });
    await driver.connect();
    await driver.home(['x', 'y']);
    await driver.jog({ x: 12, y: 7 }, 3000);
    expect(driver.status().position).toMatchObject({ x: 12, y: 7 });
    expect(console.some((l) => /M154/.test(l))).toBe(false);
  });
});

describe('MarlinDriver asking for a person', () => {
  it('says the printer is out of filament when Marlin reports a runout, until it resumes', async () => {
    const { fw, driver } = setup();
    await driver.connect();
    await driver.startPrint(
      textSource(
        'long.gcode',
        gcodeLines(20_000)
          .map((l) => `${l} F3000`)
          .join('\n'),
        4096,
      ),
    );
    await until(() => fw.executedLines.length > 30, 'printing');
    await printerSays(driver, 'out_of_filament T0');
    await until(() => driver.status().attention !== undefined, 'attention');
    expect(driver.status().attention).toEqual({ kind: 'filament', message: expect.stringContaining('ran out of filament (T0)') });
    await printerSays(driver, 'resumed');
    await until(() => driver.status().attention === undefined, 'attention cleared');
    await driver.cancel();
  });
});

describe('MarlinDriver job progress', () => {
  it('says which layer the printer has reached (by acknowledged lines) and how many the file has', async () => {
    const { driver } = setup();
    await driver.connect();
    const layers = Array.from({ length: 40 }, (_, i) => [';LAYER_CHANGE', `;Z:${(i + 1) * 0.2}`, ...gcodeLines(400).map((l) => `${l} F3000`)]).flat();
    await driver.startPrint({ ...textSource('layers.gcode', layers.join('\n'), 4096), layers: 40 });
    const seen = new Set<number>();
    await until(() => {
      const s = driver.status().state;
      if (s.kind === 'printing' && s.job.layer) {
        expect(s.job.layer.total).toBe(40);
        seen.add(s.job.layer.current);
      }
      return seen.size >= 3;
    }, 'three layers reported');
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...seen)).toBeLessThanOrEqual(40);
    await driver.cancel();
  });
});
