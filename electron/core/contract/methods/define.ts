import type { z } from 'zod';
import type { Capability } from '../capabilities';

/**
 * One method of the contract: the schema its input must satisfy, the capability it needs, and (as a type
 * only) what it returns. Hosts validate with `input`; the renderer's client is typed from `Result`.
 */
export interface MethodSpec<Input extends z.ZodType, Result> {
  input: Input;
  capability: Capability;
  summary: string;
  /** Phantom: carries the result type; always undefined at run time. */
  readonly result?: Result;
}

export function method<Result>() {
  return <Input extends z.ZodType>(spec: Omit<MethodSpec<Input, Result>, 'result'>): MethodSpec<Input, Result> => spec;
}
