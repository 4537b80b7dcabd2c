import type { HISTORY_METHODS } from '../contract/names/history';
import type { Farm } from '../jobs/farm';
import { computeAnalytics, historyCsv } from '../jobs/history-store';
import type { Clock } from '../ports/clock';
import type { HandlersFor } from '../rpc/dispatch';

const DAY_MS = 86_400_000;

export function createHistoryHandlers(deps: { farm: Farm; clock: Clock; printerNames: () => Map<string, string> }): HandlersFor<(typeof HISTORY_METHODS)[number]> {
  const { farm, clock } = deps;
  return {
    'history.list': async (input) => farm.history.list({ limit: input?.limit ?? 200, before: input?.before }),
    'history.analytics': async (input) => {
      const to = clock.now();
      const from = to - (input?.days ?? 30) * DAY_MS;
      return computeAnalytics(farm.history.inPeriod(from, to), from, to, deps.printerNames(), farm.costs.settings().currency);
    },
    'history.exportCsv': async (input) => {
      const to = clock.now();
      const from = input?.days ? to - input.days * DAY_MS : 0;
      const entries = farm.history.inPeriod(from, Number.MAX_SAFE_INTEGER);
      const stamp = new Date(to).toISOString().slice(0, 10);
      return { fileName: `autoprintfarm-history-${stamp}.csv`, csv: historyCsv(entries), rows: entries.length };
    },
  };
}
