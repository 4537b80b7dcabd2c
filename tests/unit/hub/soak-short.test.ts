/**
 * The hub soak's short form in CI (the full form is `npm run soak:hub`): a sandbox and three built `apf serve`
 * hubs with two fast virtual printers each, in pull mode behind a TCP proxy, print 12 cloud jobs while one hub
 * is killed (-9) and restarted, the sandbox is killed and restarted, and the network is cut for 3 s. Every job
 * must end exactly once on one printer, every job_event be applied once and every outbox drain.
 * Needs the bundle (`npm test` builds it before the unit tests).
 */
import { describe, expect, it } from 'vitest';
import { runSoak, SHORT_SOAK, soakLine } from '../../soak/soak-run';

describe('hub soak, short form', () => {
  it('12 pull-mode jobs over 3 hubs survive a hub kill, a sandbox restart and a network cut: none doubled or lost', async () => {
    const lines: string[] = [];
    const result = await runSoak({ ...SHORT_SOAK, log: (line) => lines.push(line) });
    const summary = `${soakLine(result)}\n${lines.join('\n')}`;
    expect(result.violations, summary).toEqual([]);
    expect(result, summary).toMatchObject({ jobs: 12, doubled: 0, lost: 0, eventsAppliedOnce: true, outboxLeft: 0, hubKills: 1, sandboxRestarts: 1 });
    expect(result.completed + result.failed, summary).toBe(12);
    expect(result.printed, summary).toBe(result.completed);
    // A run where nothing printed would pass the rest trivially.
    expect(result.completed, summary).toBeGreaterThanOrEqual(6);
    expect(result.netCutS, summary).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
