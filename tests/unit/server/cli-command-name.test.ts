import { describe, expect, it } from 'vitest';
import { buildProgram, commandName } from '../../../server/cli.js';

describe('the command a command line names', () => {
  it.each([
    [['parse', 'x.md'], 'parse'],
    [['--data-dir', 'd', 'actions', '--owner', 'Ann'], 'actions'],
    [['--data-dir=d', 'close', '4'], 'close'],
    [['--help'], null],
    [[], null],
    [['--', 'edit', '3'], 'edit'],
  ])('%j -> %s', (args, name) => {
    expect(commandName(args)).toBe(name);
  });

  it('registers only the named command, and every command otherwise', async () => {
    const names = (p: Awaited<ReturnType<typeof buildProgram>>) => p.commands.map((c) => c.name());
    expect(names(await buildProgram('close'))).toEqual(['actions', 'close', 'reopen']);
    const all = names(await buildProgram(null));
    expect(all).toEqual(expect.arrayContaining(['parse', 'import', 'series', 'people', 'actions', 'snooze', 'drop', 'review', 'eval', 'serve']));
    expect(names(await buildProgram('nope'))).toEqual(all);
  });
});
