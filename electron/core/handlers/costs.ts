import type { COST_METHODS } from '../contract/names/costs';
import { computeCostAnalytics, costCsv } from '../costs/cost-analytics';
import type { Farm } from '../jobs/farm';
import type { Clock } from '../ports/clock';
import type { Fleet } from '../printers/fleet';
import type { HandlersFor } from '../rpc/dispatch';

const DAY_MS = 86_400_000;

export function createCostHandlers(deps: { farm: Farm; fleet: Fleet; clock: Clock }): HandlersFor<(typeof COST_METHODS)[number]> {
  const { farm, fleet, clock } = deps;
  const names = () => new Map(fleet.list().map((p) => [p.id, p.name]));
  return {
    'costs.get': async () => farm.costs.view(fleet.savedConfigs().map((p) => p.id)),
    'costs.setSettings': async (input) => farm.costs.saveSettings(input),
    'costs.setPrinter': async (input) => farm.costs.setPrinter({ ...input, printerId: fleet.configOf(input.printerId).id }),
    'costs.exportCsv': async (input) => {
      const to = clock.now();
      const days = input?.days ?? 30;
      const analytics = computeCostAnalytics(farm.history.inPeriod(to - days * DAY_MS, to), farm.costs.settings().currency, names());
      const stamp = new Date(to).toISOString().slice(0, 10);
      return { fileName: `autoprintfarm-costs-${stamp}.csv`, csv: costCsv(analytics), rows: analytics.byPrinter.length + analytics.byMaterial.length + analytics.byWeek.length };
    },
  };
}
