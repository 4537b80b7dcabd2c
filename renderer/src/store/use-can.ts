import type { Capability } from '../../../electron/core/contract';
import { useAppState } from './context';

/**
 * Whether this window or browser session may do something, from `access.whoami`. The host checks every call
 * anyway; this only keeps controls a role cannot use off the screen. Nothing is shown before the answer arrives.
 */
export function useCan(capability: Capability): boolean {
  return useAppState((s) => s.whoami?.capabilities.includes(capability) ?? false);
}
