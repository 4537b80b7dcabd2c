/**
 * The one error shape that crosses a host boundary. Every failure the UI can see is an AppError with a
 * stable code; anything else is reported as `internal` without its message, so stack traces and secrets
 * never leave the core.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'forbidden',
  'not_found',
  'conflict',
  'unsupported',
  'printer_offline',
  'printer_error',
  'timeout',
  'cloud_error',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Machine-readable extras (for example the zod issues of an invalid input). Never holds secrets. */
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toBody(): ErrorBody {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  return { code: 'internal', message: 'Something went wrong inside the app. The details are in the log.' };
}
