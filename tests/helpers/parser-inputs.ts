/** Generated parser inputs shared by the limits test and the parse benchmark. */

/** ~`bytes` of list items nested ever deeper (the indentation restarts every 40 levels). */
export function nestedLists(bytes: number): string {
  const lines: string[] = ['# Nested 2024-03-07', ''];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${'  '.repeat(i % 40)}- item ${i} ACTION: Ross to check level ${i % 40}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n').slice(0, bytes);
}

/** `count` short lines (a blank one every ten) under a dated title. */
export function shortLines(count: number): string {
  const lines: string[] = ['# Many lines 2024-03-07'];
  for (let i = 0; i < count; i++) lines.push(i % 10 === 0 ? '' : `l${i}`);
  return lines.join('\n');
}

const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson', 'Radia Perlman', 'Donald Knuth'];
const ORGS = ['BAE', 'Bromium', 'AIS Burlington', 'Apertus', 'AFRL'];
const TOPICS = ['Release targets', 'CI migration', 'Docs site', 'Security review', 'Packaging', 'Roadmap', 'Mentoring'];

/** Deterministic pseudo-random minutes file number `i` (mixed conventions, ~2-6 KB). */
export function generatedMinutes(i: number): string {
  let seed = i * 2654435761 + 1;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
  const day = 1 + rnd(28);
  const month = 1 + rnd(12);
  const out: string[] = [`# Community Call - ${day}th ${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} 20${10 + rnd(15)}`, '', '## Attendees', ''];
  for (let k = 0; k < 3 + rnd(4); k++) out.push(`- ${pick(NAMES)}, ${pick(NAMES)}; ${pick(ORGS)}`);
  out.push('- [ ] ' + pick(NAMES), '');
  for (let t = 0; t < 3 + rnd(4); t++) {
    out.push(`## ${pick(TOPICS)} ${t}`, '');
    for (let p = 0; p < 2 + rnd(5); p++) {
      const who = pick(NAMES).split(' ')[0];
      out.push(`${who}: we looked at the **current state** of [the work](https://example.org/${i}/${t}/${p}) and discussed options for the next release.`, '');
    }
    if (rnd(2)) out.push(`ACTION: ${pick(NAMES).split(' ')[0]} and ${pick(NAMES).split(' ')[0]} to follow up on item ${t} by next week`, '');
    if (rnd(3) === 0) out.push(`- DECISION: adopt option ${rnd(4)}`, `- [ ] @${pick(NAMES).split(' ')[0].toLowerCase()} update the docs`, '');
    if (rnd(4) === 0) out.push('| Owner | Action | Due |', '|---|---|---|', `| ${pick(NAMES)} | review the PR | 2024-0${1 + rnd(9)}-1${rnd(9)} |`, '');
    if (rnd(5) === 0) out.push('Defer to Oct call.', '');
  }
  return out.join('\n');
}
