import { describe, expect, it } from 'vitest';
import { intFlag, parseArgs, UsageError } from '../../../electron/headless/args';
import { withoutDataFlag } from '../../../electron/headless/cli';

const spec = { port: 'string', json: 'boolean' } as const;

describe('command-line flags (node:util parseArgs, strict in our words)', () => {
  it('reads --name value, --name=value, bare booleans and positionals, and treats everything after -- as positional', () => {
    expect(parseArgs(['a', '--port', '/dev/ttyUSB0', '--json', 'b'], spec)).toEqual({ values: { port: '/dev/ttyUSB0', json: true }, positionals: ['a', 'b'] });
    expect(parseArgs(['--port=COM3', '--', '--json'], spec)).toEqual({ values: { port: 'COM3' }, positionals: ['--json'] });
  });

  it('refuses unknown flags, short ones included, a value on a boolean and a missing value', () => {
    const message = (args: string[]) => {
      try {
        parseArgs(args, spec);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
    };
    expect(message(['--jsno'])).toBe('Unknown option --jsno.');
    expect(message(['-x'])).toBe('Unknown option -x.');
    expect(message(['--json=yes'])).toBe('--json takes no value.');
    expect(message(['--port'])).toBe('--port needs a value.');
    expect(message(['--port', '--json'])).toBe('--port needs a value.');
    expect(message(['--port', '-5'])).toBeNull();
  });

  it('checks whole-number flags against their range', () => {
    expect(intFlag('4780', 'port', 0, 65535)).toBe(4780);
    expect(intFlag(undefined, 'port', 0, 65535)).toBeUndefined();
    expect(() => intFlag('70000', 'port', 0, 65535)).toThrow('--port must be a whole number from 0 to 65535.');
  });

  it('drops --data DIR and --data=DIR for commands that keep no data, and leaves the rest in order', () => {
    expect(withoutDataFlag(['--data', '/d', 'file.gcode', '--json', '--data=/e', '--', '--data', 'x'])).toEqual(['file.gcode', '--json', '--', '--data', 'x']);
    expect(() => withoutDataFlag(['--data'])).toThrow('--data needs a value.');
    expect(() => withoutDataFlag(['--data', '--json'])).toThrow('--data needs a value.');
  });
});
