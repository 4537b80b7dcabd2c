import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered of the main window between runs (kept in settings under `desktop.window`). */
export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;
/** How much of the window's top strip (where the title bar is) must be on a screen for it to be reachable. */
const GRAB = { width: 120, height: 40 } as const;

/**
 * Where the window opens: where it was, unless that is no longer on any screen (a monitor unplugged, a laptop
 * off its dock, a resolution changed), in which case it is centred on the primary display's work area. The
 * size never exceeds the display it lands on. `saved` is read from a user-editable file: anything malformed
 * is the same as nothing saved.
 */
export function windowPlacement(saved: unknown, displays: readonly Rect[], primary: Rect): Rect & { maximized: boolean } {
  const state = WindowStateSchema.safeParse(saved);
  if (state.success) {
    const home = displays.find((d) => overlap(topStrip(state.data), d) >= GRAB.width * GRAB.height);
    if (home) return { ...fitInside(state.data, home), maximized: state.data.maximized };
  }
  const size = state.success ? { width: state.data.width, height: state.data.height } : DEFAULT_WINDOW_SIZE;
  return { ...centreIn(size, primary), maximized: state.success && state.data.maximized };
}

function topStrip(r: Rect): Rect {
  return { x: r.x, y: r.y, width: r.width, height: Math.min(r.height, GRAB.height) };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function fitInside(r: Rect, area: Rect): Rect {
  const width = Math.min(r.width, area.width);
  const height = Math.min(r.height, area.height);
  const x = Math.min(Math.max(r.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(r.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

function centreIn(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return { x: Math.round(area.x + (area.width - width) / 2), y: Math.round(area.y + (area.height - height) / 2), width, height };
}
