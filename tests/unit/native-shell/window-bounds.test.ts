import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, windowPlacement } from '../../../electron/core/native-shell/window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const monitor = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('where the main window opens', () => {
  it('is where it was when that is still on a screen, maximised or not', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: true };
    expect(windowPlacement(saved, [laptop, monitor], laptop)).toEqual(saved);
  });

  it('comes back to the primary screen, centred, when the screen it was on is gone', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 800, maximized: false };
    expect(windowPlacement(saved, [laptop], laptop)).toEqual({ x: 20, y: 38, width: 1400, height: 800, maximized: false });
  });

  it('shrinks to fit a smaller screen and moves back inside it when only a corner still shows', () => {
    const saved = { x: 1300, y: -10, width: 2000, height: 1200, maximized: false };
    expect(windowPlacement(saved, [laptop], laptop)).toEqual({ x: 0, y: 0, width: 1440, height: 875, maximized: false });
  });

  it('is the default size, centred, on a first run or when the saved value is not a window state', () => {
    for (const saved of [undefined, null, 'big', { x: 1, y: 2 }, { x: 0, y: 0, width: -5, height: 10, maximized: false }]) {
      const placed = windowPlacement(saved, [laptop], laptop);
      expect(placed, JSON.stringify(saved)).toMatchObject({ ...DEFAULT_WINDOW_SIZE, maximized: false });
      expect(placed.x).toBe((laptop.width - DEFAULT_WINDOW_SIZE.width) / 2);
    }
  });
});
