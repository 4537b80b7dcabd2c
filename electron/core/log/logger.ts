import type { Logger } from '../rpc/dispatch';

// Anything shaped like an AutoPrintFarm key is masked before a line is written anywhere (rule 3).
const KEY_PATTERN = /\b(apf_(?:live|test|dev)_)[A-Za-z0-9]+/g;

export function redactSecrets(text: string): string {
  return text.replace(KEY_PATTERN, (_m, prefix: string) => `${prefix}…[redacted]`);
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
    const detail = err === undefined ? '' : ` ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    sink.write(redactSecrets(`${new Date(clock()).toISOString()} ${level} ${message}${detail}`));
  };
  return {
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (m, err) => line('error', m, err),
  };
}
