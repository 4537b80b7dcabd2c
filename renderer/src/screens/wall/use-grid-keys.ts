import { useCallback, type KeyboardEvent, type RefObject } from 'react';

/** How many columns the grid lays out now (it depends on the screen's width). */
function columnsOf(grid: HTMLElement | null): number {
  if (!grid) return 1;
  const template = getComputedStyle(grid).gridTemplateColumns;
  return Math.max(1, template.split(' ').filter(Boolean).length);
}

/**
 * Arrow keys move between tiles as they are laid out (up and down by a row), Home and End to the first and
 * last, Enter opens the focused one. Focus follows a printer by id, since tiles move as printers change.
 */
export function useGridKeys(opts: {
  grid: RefObject<HTMLElement | null>;
  ids: readonly string[];
  focusedId: string | null;
  setFocusedId: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  const { grid, ids, focusedId, setFocusedId, onOpen } = opts;
  return useCallback(
    (e: KeyboardEvent) => {
      if (!ids.length) return;
      const at = Math.max(0, focusedId ? ids.indexOf(focusedId) : 0);
      const cols = columnsOf(grid.current);
      const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, Home: -ids.length, End: ids.length };
      if (e.key === 'Enter' && focusedId) {
        e.preventDefault();
        onOpen(focusedId);
        return;
      }
      const move = step[e.key];
      if (move === undefined) return;
      e.preventDefault();
      const next = ids[Math.min(ids.length - 1, Math.max(0, at + move))]!;
      setFocusedId(next);
      grid.current?.querySelector<HTMLElement>(`[data-printer-id="${CSS.escape(next)}"]`)?.focus();
    },
    [grid, ids, focusedId, setFocusedId, onOpen],
  );
}
