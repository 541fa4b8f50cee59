import type { Command } from 'commander';

const collect = (v: string, prev: string[] = []) => [...prev, v];

// The command's work (validation, services, database) is in people-run.ts, loaded when it runs.
const run = () => import('./people-run.js');

/** `minutes people add|list|alias|merge|unresolved|resolve`: the people directory. */
export function register(program: Command): void {
  const people = program.command('people').description('the people directory');
  people
    .command('add')
    .description('add a person (or fill in email, org, aliases of the one with that name)')
    .argument('<name>', 'full name')
    .option('--email <email>', 'email address (reminders go here)')
    .option('--alias <alias>', 'another name: first name, nick, handle (repeatable)', collect)
    .option('--org <org>', 'organisation')
    .option('--group', 'a group or organisation rather than a person')
    .action(async (name: string, raw: unknown) => (await run()).addPerson(program.opts(), name, raw));
  people
    .command('list')
    .description('everyone in the directory')
    .option('--json', 'machine output')
    .action(async (raw: { json?: boolean }) => (await run()).listPeople(program.opts(), raw));
  people
    .command('alias')
    .description('add an alias (first name, nick, handle) to a person')
    .argument('<name>', 'the person: name, alias or id')
    .argument('<alias>', 'the new alias')
    .action(async (name: string, alias: string) => (await run()).addAlias(program.opts(), name, alias));
  people
    .command('merge')
    .description('merge a duplicate into another person (the old name becomes an alias)')
    .argument('<from>', 'the duplicate: name or id')
    .argument('<into>', 'the person to keep: name or id')
    .action(async (from: string, into: string) => (await run()).mergePeople(program.opts(), from, into));
  people
    .command('unresolved')
    .description('names in minutes that could not be tied to one person')
    .option('--json', 'machine output')
    .action(async (raw: { json?: boolean }) => (await run()).listUnresolved(program.opts(), raw));
  people
    .command('resolve')
    .description('say who an unresolved name is: links its actions and attendance, keeps it as an alias')
    .argument('<name>', 'the name as written in the minutes')
    .argument('<person>', 'who it is: name, alias or id')
    .action(async (name: string, person: string) => (await run()).resolveName(program.opts(), name, person));
  people
    .command('pause')
    .description('no reminders to this person (until a date, or until resumed)')
    .argument('<person>', 'name, alias or id')
    .option('--until <date>', 'last paused day YYYY-MM-DD (default: until `people resume`)')
    .action(async (person: string, o: { until?: string }) => (await run()).pauseReminders(program.opts(), person, o));
  people
    .command('resume')
    .description('send reminders to this person again')
    .argument('<person>', 'name, alias or id')
    .action(async (person: string) => (await run()).resumeReminders(program.opts(), person));
}
