import { z } from 'zod';
import { AppError } from '../errors.js';
import { printJson, type GlobalOptions, withContext } from './context.js';
import { calendarDayOption, parseOptions } from './options.js';
import { cliActor } from '../services/actions/actor.js';
import { isoDay } from '../../domain/dates.js';
import type { PersonView } from '../services/people/people-service.js';
import { plural } from '../../domain/wording.js';

const AddOptions = z.object({
  email: z.string().min(1).optional(),
  alias: z.array(z.string().min(1)).optional(),
  org: z.string().min(1).optional(),
  group: z.boolean().optional(),
});

/** `minutes people add NAME`. */
export async function addPerson(global: GlobalOptions, name: string, raw: unknown): Promise<void> {
  const o = parseOptions(AddOptions, raw);
  await withContext(global, async ({ services }) => {
    const r = await services.people.upsert({ name, email: o.email, org: o.org, aliases: o.alias, kind: o.group ? 'group' : undefined });
    process.stdout.write(`${r.created ? 'added' : 'updated'} ${line(r.person)}\n`);
  });
}

/** `minutes people list`. */
export async function listPeople(global: GlobalOptions, raw: { json?: boolean }): Promise<void> {
  await withContext(global, async ({ services }) => {
    const all = await services.people.list();
    if (raw.json) printJson(all);
    else process.stdout.write(all.map((p) => line(p) + '\n').join('') || 'the directory is empty\n');
  });
}

/** `minutes people alias NAME ALIAS`. */
export async function addAlias(global: GlobalOptions, name: string, alias: string): Promise<void> {
  await withContext(global, async ({ services }) => {
    process.stdout.write(`${line(await services.people.addAlias(name, alias))}\n`);
  });
}

/** `minutes people merge FROM INTO`. */
export async function mergePeople(global: GlobalOptions, from: string, into: string): Promise<void> {
  await withContext(global, async ({ services }) => {
    const kept = await services.people.merge(from, into);
    process.stdout.write(`merged into ${line(kept)}\n${kept.merge.message}\n`);
  });
}

/** `minutes people unresolved`. */
export async function listUnresolved(global: GlobalOptions, raw: { json?: boolean }): Promise<void> {
  await withContext(global, async ({ services }) => {
    const list = await services.people.unresolved();
    if (raw.json) return printJson(list);
    if (list.length === 0) return void process.stdout.write('no unresolved names\n');
    for (const u of list) {
      const maybe = u.candidates.length ? `; could be ${u.candidates.map((c) => `${c.name} (#${c.id})`).join(', ')}` : '';
      const ids = u.actions.map((a) => `#${a.id}`).join(' ');
      process.stdout.write(
        `${u.name}: ${plural(u.actions.length, 'action')}${ids ? ` (${ids})` : ''}` +
          `${u.attended.length ? `, ${u.attended.length} attendance` : ''}${maybe}\n`,
      );
    }
  });
}

/** `minutes people resolve NAME PERSON`. */
export async function resolveName(global: GlobalOptions, name: string, person: string): Promise<void> {
  await withContext(global, async ({ services }) => {
    const r = await services.people.resolveName(name, person, cliActor());
    const ids = r.actionIds.map((id) => `#${id}`).join(' ');
    const alias = r.aliasAdded ? `; '${r.name}' is now an alias` : r.aliasNote ? `; ${r.aliasNote}` : '';
    process.stdout.write(
      `'${r.name}' is ${line(r.person)}: ${plural(r.actionIds.length, 'action')} linked${ids ? ` (${ids})` : ''}` +
        `${r.attendance ? `, ${r.attendance} attendance` : ''}${alias}\n`,
    );
  });
}

/** "Until resumed": a pause without an end date is stored as the last day there is. */
const FOREVER = '9999-12-31';

/** `minutes people pause PERSON [--until D]`. */
export async function pauseReminders(global: GlobalOptions, who: string, o: { until?: string }): Promise<void> {
  if (o.until !== undefined) calendarDayOption('--until', o.until);
  await withContext(global, async ({ services }) => {
    const today = isoDay(services.clock.now());
    if (o.until !== undefined && o.until < today) throw new AppError('bad-input', `--until ${o.until} is in the past; reminders would not pause`);
    const p = await services.people.find(who);
    const updated = await services.people.update(p.id, { remindersPausedUntil: o.until ?? FOREVER });
    process.stdout.write(`reminders paused ${o.until ? `until ${o.until} (inclusive)` : 'until resumed'}: ${line(updated)}\n`);
  });
}

/** `minutes people resume PERSON`. */
export async function resumeReminders(global: GlobalOptions, who: string): Promise<void> {
  await withContext(global, async ({ services }) => {
    const p = await services.people.find(who);
    const updated = await services.people.update(p.id, { remindersPausedUntil: null });
    process.stdout.write(`${p.remindersPausedUntil ? 'reminders resumed' : 'reminders were not paused'}: ${line(updated)}\n`);
  });
}

/** `#3 Ann Lee (ann@example.org; Acme; aka Ann)`. */
export function line(p: PersonView): string {
  const paused = p.remindersPausedUntil ? (p.remindersPausedUntil === FOREVER ? 'reminders paused' : `reminders paused until ${p.remindersPausedUntil}`) : null;
  const bits = [p.email ?? 'no email', p.org, p.kind === 'group' ? 'group' : null, p.aliases.length ? `aka ${p.aliases.join(', ')}` : null, paused];
  return `#${p.id} ${p.name} (${bits.filter(Boolean).join('; ')})`;
}
