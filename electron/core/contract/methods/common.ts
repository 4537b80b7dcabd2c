import { z } from 'zod';

export const printerId = z.string().min(1).max(64);
/** For methods that take no input: nothing, or an empty object. */
export const none = z.object({}).strict().optional();
