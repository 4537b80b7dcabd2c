import { z } from 'zod';

/**
 * How the app talks to one USB (Marlin) printer: how many lines it keeps in the board's buffer, and the
 * G-code it runs around a pause, a resume and a cancel. Saved with the printer; shared with the renderer
 * (no Node imports here).
 */

/** Marlin's stock BUFSIZE and RX_BUFFER_SIZE: what a board nobody reconfigured has. */
export const DEFAULT_WINDOW_LINES = 4;
export const DEFAULT_RX_BUFFER_BYTES = 128;
export const MAX_SCRIPT_CHARS = 2000;
export const MAX_SCRIPT_LINES = 40;

/**
 * The scripts as text, one command a line. They match the job streamer's built-in defaults
 * (marlin/job-streamer.ts DEFAULT_JOB_SCRIPTS; a unit test keeps the two equal).
 */
export const DEFAULT_PAUSE_SCRIPT = 'G91\nG1 Z10 F600\nG90';
export const DEFAULT_RESUME_SCRIPT = 'G90\nG1 X{x} Y{y} F3000\nG1 Z{z} F600\nG92 E{e}\nG1 F{f}';
export const DEFAULT_CANCEL_SCRIPT = 'M104 S0\nM140 S0\nM107\nM84';

const script = (what: string) =>
  z
    .string()
    .max(MAX_SCRIPT_CHARS, `The ${what} script is too long: keep it under ${MAX_SCRIPT_CHARS} characters.`)
    .refine((text) => text.split('\n').length <= MAX_SCRIPT_LINES, `The ${what} script has too many lines: at most ${MAX_SCRIPT_LINES}.`)
    // `*` starts the checksum on the wire; a command containing one would be cut short by the firmware.
    .refine((text) => !text.split('\n').some((l) => l.split(';')[0]!.includes('*')), `The ${what} script contains "*", which the printer would read as a checksum. Remove it.`)
    .refine((text) => !/[^\t\n\r\x20-\x7e]/.test(text), `The ${what} script contains characters a printer cannot read: use plain ASCII G-code.`);

const fields = {
  /**
   * `auto`: the board's own window when its ok carries ADVANCED_OK's P/B counts, one line per ok otherwise.
   * `safe`: always one line per ok. `buffered`: ADVANCED_OK when the board reports it, else `windowLines` in
   * flight. Every windowed mode stays within `rxBufferBytes`.
   */
  streaming: z.enum(['auto', 'safe', 'buffered']),
  windowLines: z.number().int('The number of lines must be a whole number.').min(1, 'Keep at least 1 line in flight.').max(32, 'At most 32 lines in flight.'),
  rxBufferBytes: z
    .number()
    .int('The buffer size must be a whole number of bytes.')
    .min(64, 'The firmware receive buffer is at least 64 bytes (Marlin’s default is 128).')
    .max(65_536, 'The firmware receive buffer is at most 65536 bytes.'),
  pauseScript: script('pause'),
  resumeScript: script('resume'),
  cancelScript: script('cancel'),
  heatersOffOnPause: z.boolean(),
};

export const DEFAULT_SERIAL_SETTINGS = {
  streaming: 'auto',
  windowLines: DEFAULT_WINDOW_LINES,
  rxBufferBytes: DEFAULT_RX_BUFFER_BYTES,
  pauseScript: DEFAULT_PAUSE_SCRIPT,
  resumeScript: DEFAULT_RESUME_SCRIPT,
  cancelScript: DEFAULT_CANCEL_SCRIPT,
  heatersOffOnPause: false,
} as const satisfies { [K in keyof typeof fields]: z.infer<(typeof fields)[K]> };

/** As the user sends it: every field, nothing else. */
export const SerialSettingsInput = z.object(fields).strict();
export type SerialSettings = z.infer<typeof SerialSettingsInput>;

/**
 * As saved with a printer: a field missing from an older saved printer (or the whole object) takes its
 * default, so printers saved before these settings existed keep loading, in safe mode.
 */
export const SavedSerialSettings = z
  .object({
    streaming: fields.streaming.default(DEFAULT_SERIAL_SETTINGS.streaming),
    windowLines: fields.windowLines.default(DEFAULT_SERIAL_SETTINGS.windowLines),
    rxBufferBytes: fields.rxBufferBytes.default(DEFAULT_SERIAL_SETTINGS.rxBufferBytes),
    pauseScript: fields.pauseScript.default(DEFAULT_SERIAL_SETTINGS.pauseScript),
    resumeScript: fields.resumeScript.default(DEFAULT_SERIAL_SETTINGS.resumeScript),
    cancelScript: fields.cancelScript.default(DEFAULT_SERIAL_SETTINGS.cancelScript),
    heatersOffOnPause: fields.heatersOffOnPause.default(DEFAULT_SERIAL_SETTINGS.heatersOffOnPause),
  })
  .default(() => ({ ...DEFAULT_SERIAL_SETTINGS }));
