import { describe, expect, it } from 'vitest';
import { consoleLine, notConnectedReason, NOT_CONNECTED } from '../../../electron/core/printers/octoprint/state-map';

describe("OctoPrint's own words", () => {
  it('says why OctoPrint dropped its printer when it says so (push `current.state` after an error)', () => {
    expect(notConnectedReason({ text: 'Offline after error', error: 'Closing serial port due to emergency stop M112.', flags: { closedOrError: true } })).toBe(
      'OctoPrint is not connected to the printer (Offline after error: Closing serial port due to emergency stop M112). Fix the cause, then press Connect.',
    );
    expect(notConnectedReason({ text: 'Offline', flags: { closedOrError: true } })).toBe(NOT_CONNECTED);
    expect(notConnectedReason({ text: 'Error: Failed to autodetect serial port', flags: { closedOrError: true } })).toContain('(Error: Failed to autodetect serial port)');
  });

  it('shows the terminal\'s Send: lines as sent and Recv: lines as received, and hides the once-a-second "Not SD printing"', () => {
    expect(consoleLine('Send: N12 M105*38')).toEqual({ direction: 'sent', line: 'N12 M105*38' });
    expect(consoleLine('Recv: ok T:21.3 /0.0 B:20.1 /0.0')).toEqual({ direction: 'received', line: 'ok T:21.3 /0.0 B:20.1 /0.0' });
    expect(consoleLine('Recv: Not SD printing')).toBeNull();
    expect(consoleLine('Changing monitoring state from "Operational" to "Printing"')).toEqual({
      direction: 'received',
      line: 'Changing monitoring state from "Operational" to "Printing"',
    });
  });
});
