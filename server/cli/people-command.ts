import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { printJson, withContext } from './context.js';
import type { PersonView } from '../services/people/people-service.js';
import { cliActor } from '../services/actions/actor.js';

const AddOptions = z.object({
  email: z.string().min(1).optional(),
  alias: z.array(z.string().min(1)).optional(),
  org: z.string().min(1).optional(),
  group: z.boolean().optional(),
});

const collect = (v: string, prev: string[] = []) => [...prev, v];

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
    .action(async (name: string, raw: unknown) => {
      const parsed = AddOptions.safeParse(raw);
      if (!parsed.success) throw new AppError('bad-input', parsed.error.issues[0].message);
      const o = parsed.data;
      await withContext(program.opts(), ({ services }) => {
        const r = services.people.upsert({ name, email: o.email, org: o.org, aliases: o.alias, kind: o.group ? 'group' : undefined });
        process.stdout.write(`${r.created ? 'added' : 'updated'} ${line(r.person)}\n`);
      });
    });
  people
    .command('list')
    .description('everyone in the directory')
    .option('--json', 'machine output')
    .action(async (raw: { json?: boolean }) => {
      await withContext(program.opts(), ({ services }) => {
        const all = services.people.list();
        if (raw.json) printJson(all);
        else process.stdout.write(all.map((p) => line(p) + '\n').join('') || 'the directory is empty\n');
      });
    });
  people
    .command('alias')
    .description('add an alias (first name, nick, handle) to a person')
    .argument('<name>', 'the person: name, alias or id')
    .argument('<alias>', 'the new alias')
    .action(async (name: string, alias: string) => {
      await withContext(program.opts(), ({ services }) => {
        process.stdout.write(`${line(services.people.addAlias(name, alias))}\n`);
      });
    });
  people
    .command('merge')
    .description('merge a duplicate into another person (the old name becomes an alias)')
    .argument('<from>', 'the duplicate: name or id')
    .argument('<into>', 'the person to keep: name or id')
    .action(async (from: string, into: string) => {
      await withContext(program.opts(), ({ services }) => {
        process.stdout.write(`merged into ${line(services.people.merge(from, into))}\n`);
      });
    });
  people
    .command('unresolved')
    .description('names in minutes that could not be tied to one person')
    .option('--json', 'machine output')
    .action(async (raw: { json?: boolean }) => {
      await withContext(program.opts(), ({ services }) => {
        const list = services.people.unresolved();
        if (raw.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('no unresolved names\n');
        for (const u of list) {
          const maybe = u.candidates.length ? `; could be ${u.candidates.map((c) => `${c.name} (#${c.id})`).join(', ')}` : '';
          const ids = u.actions.map((a) => `#${a.id}`).join(' ');
          process.stdout.write(
            `${u.name}: ${u.actions.length} action${u.actions.length === 1 ? '' : 's'}${ids ? ` (${ids})` : ''}` +
              `${u.attended.length ? `, ${u.attended.length} attendance` : ''}${maybe}\n`,
          );
        }
      });
    });
  people
    .command('resolve')
    .description('say who an unresolved name is: links its actions and attendance, keeps it as an alias')
    .argument('<name>', 'the name as written in the minutes')
    .argument('<person>', 'who it is: name, alias or id')
    .action(async (name: string, person: string) => {
      await withContext(program.opts(), ({ services }) => {
        const r = services.people.resolveName(name, person, cliActor());
        const ids = r.actionIds.map((id) => `#${id}`).join(' ');
        const alias = r.aliasAdded ? `; '${r.name}' is now an alias` : r.aliasNote ? `; ${r.aliasNote}` : '';
        process.stdout.write(
          `'${r.name}' is ${line(r.person)}: ${r.actionIds.length} action${r.actionIds.length === 1 ? '' : 's'} linked${ids ? ` (${ids})` : ''}` +
            `${r.attendance ? `, ${r.attendance} attendance` : ''}${alias}\n`,
        );
      });
    });
}

function line(p: PersonView): string {
  const bits = [p.email ?? 'no email', p.org, p.kind === 'group' ? 'group' : null, p.aliases.length ? `aka ${p.aliases.join(', ')}` : null];
  return `#${p.id} ${p.name} (${bits.filter(Boolean).join('; ')})`;
}
