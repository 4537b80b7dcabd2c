/** The shared test clock (tests/support/manual-clock.ts), starting where these tests expect. */
import { ManualClock as SharedManualClock } from '../../support/manual-clock';

export class ManualClock extends SharedManualClock {
  constructor(start = 1_000_000) {
    super(start);
  }
}
