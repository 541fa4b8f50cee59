/**
 * Deterministic synthetic minutes for import tests and the import benchmark: about 4 KB each,
 * 8 attendees, 5 actions (one restating an action of the previous meeting of its series), 2
 * decisions, front matter `series`. Meetings of a series are a week apart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIRST = ['Ann', 'Bob', 'Carla', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lucia', 'Marta', 'Nils', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sven', 'Tariq'];
const LAST = ['Lee', 'Stone', 'Meyer', 'Novak', 'Okafor', 'Petrov', 'Quist', 'Rossi', 'Santos', 'Tanaka', 'Ueda', 'Varga'];
const ORGS = ['Citrix', 'AIS', 'Bromium', 'BAE', 'Apertus', 'AFRL'];
const VERBS = ['review', 'write', 'update', 'benchmark', 'document', 'triage', 'port', 'test', 'draft', 'publish'];
const THINGS = ['the UEFI patches', 'the tboot RFC', 'the release checklist', 'the CI pipeline', 'the wiki page', 'the build scripts', 'the TPM 2.0 notes', 'the stable branch plan', 'the installer', 'the upstream proposal', 'the security policy', 'the roadmap'];
const FILLER =
  'The group went through the open items and the state of the branches. Several people reported progress on testing, and the discussion covered the schedule for the next release, the review backlog, and how to share the load of maintenance between the organisations present.';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedMeeting {
  file: string;
  series: string;
  date: string;
  text: string;
}

const people = FIRST.flatMap((f, i) => [`${f} ${LAST[i % LAST.length]}`, `${f} ${LAST[(i + 5) % LAST.length]}`]);

function actionText(series: number, week: number, k: number) {
  return `${VERBS[(series + week + k) % VERBS.length]} ${THINGS[(week * 5 + k) % THINGS.length]} for milestone ${series}.${week}.${k}${(week + k) % 2 ? ' and report back' : ''}`;
}

const presentAt = (team: string[], week: number) => team.filter((_, k) => (k + week) % 12 < 8);

/** The i-th meeting of `seriesCount` interleaved series. */
export function generateMeeting(i: number, seriesCount = 20): GeneratedMeeting {
  const s = i % seriesCount;
  const week = Math.floor(i / seriesCount);
  const r = rng(i + 1);
  const date = new Date(Date.UTC(2015, 0, 1) + week * 7 * 86_400_000).toISOString().slice(0, 10);
  const series = `project-${s}`;
  // A series keeps a stable team of 12; each meeting has 8 of them.
  const team = Array.from({ length: 12 }, (_, k) => people[(s * 7 + k) % people.length]);
  const present = presentAt(team, week);
  const lines: string[] = ['---', `series: ${series}`, '---', '', `# Project ${s} weekly call - ${date}`, '', '## Attendees', ''];
  for (const p of present) lines.push(`- ${p}; ${ORGS[p.length % ORGS.length]}`);
  lines.push('', '## Review of actions', '');
  if (week > 0) {
    const prev = presentAt(team, week - 1);
    lines.push(`- ACTION: ${prev[(week - 1) % prev.length]} to ${actionText(s, week - 1, 0)} (carried over)`, '');
  }
  for (let t = 0; t < 3; t++) {
    lines.push(`## Topic ${t + 1}: ${THINGS[(week + t) % THINGS.length]}`, '');
    lines.push(`${present[t]}: ${FILLER}`, '', `${present[t + 3]}: ${FILLER.slice(0, 200 + Math.floor(r() * 200))}`, '');
    lines.push(`${present[t + 4]}: ${FILLER.slice(0, 150 + Math.floor(r() * 250))}`, '');
    if (t < 2) lines.push(`Decision: the group agreed to ${VERBS[(t + week) % VERBS.length]} ${THINGS[(t + s) % THINGS.length]} in cycle ${week}.`, '');
  }
  lines.push('## Actions', '');
  const n = week > 0 ? 4 : 5;
  for (let k = 0; k < n; k++) {
    const owner = present[(k + week) % present.length];
    lines.push(`- ACTION: ${owner} to ${actionText(s, week, k)}`);
  }
  lines.push('', '## Notes', '', FILLER, '', FILLER.slice(0, 100 + Math.floor(r() * 150)), '');
  return { file: `${series}/${date}.md`, series, date, text: lines.join('\n') };
}

/** Writes `count` generated meetings under `dir` (one folder per series); returns them. */
export function writeGeneratedMinutes(dir: string, count: number, seriesCount = 20): GeneratedMeeting[] {
  const out: GeneratedMeeting[] = [];
  for (let i = 0; i < count; i++) {
    const m = generateMeeting(i, seriesCount);
    mkdirSync(join(dir, m.series), { recursive: true });
    writeFileSync(join(dir, m.file), m.text);
    out.push(m);
  }
  return out;
}
