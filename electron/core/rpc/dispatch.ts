import { z } from 'zod';
import { AppError, toErrorBody, type ErrorBody } from '../errors';
import { ADMIN_CAPABILITIES, isMethodName, methods, type Capability, type MethodName, type MethodParsedInput, type MethodResult } from '../contract';

/** A handler gets the caller's context too; most ignore it, uploads use its session. */
export type Handler<M extends MethodName> = (input: MethodParsedInput<M>, ctx: CallContext) => Promise<MethodResult<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };
/** The handlers of one domain (printers, keys, jobs, …); core.ts merges them and the type checks coverage. */
export type HandlersFor<Names extends MethodName> = { [M in Names]: Handler<M> };

export interface CallContext {
  capabilities: ReadonlySet<Capability>;
  /**
   * The connection the call came on (one per WebSocket). What a call leaves open, such as an upload, belongs to
   * it and ends with it; callers without one (the desktop window) share the local session.
   */
  session?: string;
  /** The browser session behind the call (headless host); absent in the desktop window. Named in the audit log. */
  actor?: { sessionId: string; label: string };
}

/** Told of every admin call (one needing an admin-only capability) once it has ended: the audit log. */
export type AdminCallRecorder = (method: MethodName, input: unknown, ctx: CallContext, outcome: string) => void;

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ErrorBody };

export interface Logger {
  error(message: string, err?: unknown): void;
}

/**
 * The one entry point both hosts use: name check, capability check, input validation, then the handler.
 * It never throws; every failure comes back as a structured `{code, message}`.
 */
export function createDispatcher(handlers: Handlers, log: Logger, recordAdminCall?: AdminCallRecorder) {
  return async function dispatch(method: unknown, params: unknown, ctx: CallContext): Promise<CallOutcome> {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'unknown_method', message: `There is no method called ${describe(method)}.` } };
    }
    const spec = methods[method];
    if (!ctx.capabilities.has(spec.capability)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: `This session may not call ${method}: it needs the ${spec.capability} capability.` },
      };
    }
    const outcome = await run(method, params, ctx);
    if (recordAdminCall && ADMIN_CAPABILITIES.includes(spec.capability)) {
      try {
        recordAdminCall(method, params, ctx, outcome.ok ? 'ok' : outcome.error.code);
      } catch (err) {
        log.error('writing the audit log failed', err);
      }
    }
    return outcome;
  };

  async function run(method: MethodName, params: unknown, ctx: CallContext): Promise<CallOutcome> {
    const parsed = methods[method].input.safeParse(params ?? undefined);
    if (!parsed.success) {
      return { ok: false, error: invalidInput(method, parsed.error) };
    }
    try {
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => Promise<unknown>;
      const result = await handler(parsed.data, ctx);
      return { ok: true, result: result ?? null };
    } catch (err) {
      if (!(err instanceof AppError)) log.error(`${method} failed`, err);
      return { ok: false, error: toErrorBody(err) };
    }
  }
}

export type Dispatch = ReturnType<typeof createDispatcher>;

function invalidInput(method: string, error: z.ZodError): ErrorBody {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  const where = first && first.path ? ` (${first.path})` : '';
  return {
    code: 'invalid_input',
    message: `The input to ${method} is not valid${where}: ${first?.message ?? 'unknown problem'}`,
    details: issues,
  };
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `of type ${value === null ? 'null' : typeof value}`;
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
