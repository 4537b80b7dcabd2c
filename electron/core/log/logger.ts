import { redactKeys } from '../keys/key-format';
import type { Logger } from '../rpc/dispatch';

/**
 * Anything shaped like an AutoPrintFarm key (any case, or Basic-encoded) is masked before a line is written
 * anywhere (rule 3); one redactor for the whole app, the one in keys/key-format.
 */
export function redactSecrets(text: string): string {
  return redactKeys(text);
}

export interface LogSink {
  write(line: string): void;
}

export interface AppLogger extends Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** Line-oriented logger. Errors keep their stack, but every line passes through the redactor first. */
export function createLogger(sink: LogSink, clock: () => number = Date.now): AppLogger {
  const line = (level: string, message: string, err?: unknown) => {
    const detail = err === undefined ? '' : ` ${err instanceof Error ? (err.stack ?? err.message) : describeThrown(err)}`;
    sink.write(redactSecrets(`${new Date(clock()).toISOString()} ${level} ${message}${detail}`));
  };
  return {
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (m, err) => line('error', m, err),
  };
}

/** Something thrown that is not an Error (a string, a plain object from a callback), as readable text. */
function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
