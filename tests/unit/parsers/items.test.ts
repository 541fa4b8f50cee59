import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../../parsers/block-types.js';
import { extractItems } from '../../../parsers/items.js';
import { isDecisionSentence } from '../../../parsers/decision-sentences.js';
import { parseMinutes } from '../../../parsers/parse-minutes.js';
import type { ParsedAttendee } from '../../../parsers/types.js';

/** A block from one line, as blocks.ts would build it (text = plain, raw = source). */
function block(raw: string, over: Partial<Block> = {}): Block {
  const kind = over.kind ?? (/^\s*[-*] /.test(raw) ? 'listItem' : 'paragraph');
  const body = kind === 'listItem' ? raw.replace(/^\s*[-*] (\[[ xX]\] )?/, '') : raw;
  const text = body.replace(/\*{1,3}|~~|`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  const line = over.line ?? 1;
  return {
    kind, text, raw, line, endLine: line, depth: 0, checked: null, struck: false, quoted: false,
    headings: [], topic: null, parentText: null, listLabel: null, lines: [{ line, text, raw }], ...over,
  };
}
const person = (name: string, org: string | null = null, handle: string | null = null): ParsedAttendee => ({ name, org, handle, role: null });
const ctx = (attendees: ParsedAttendee[] = []) => ({ meetingDate: '2016-12-15', attendees, nextMeetingDate: '2017-01-12' });
const one = (raw: string, over: Partial<Block> = {}, attendees: ParsedAttendee[] = []) => extractItems([block(raw, over)], ctx(attendees));

describe('explicit action markers', () => {
  it.each([
    ['ACTION: Ross to get together with James', ['Ross'], 'get together with James'],
    ['ACTION, Doug S: Write up guide on translations', ['Doug S'], 'Write up guide on translations'],
    ['ACTION Paul: Do further investigation', ['Paul'], 'Do further investigation'],
    ['ACTION ITEM: shepazu to email frozenice', ['shepazu'], 'email frozenice'],
    ['Action Item: @Taylor to help collaborate with these tickets', ['@Taylor'], 'help collaborate with these tickets'],
    ['AI: Jim to follow up', ['Jim'], 'follow up'],
    ['AI(@aaron): propose a best-practices model', ['@aaron'], 'propose a best-practices model'],
    ['AI: Jay: Share the slides', ['Jay'], 'Share the slides'],
    ['(AI: Chris, Paris reach out to OSMI) Offer counseling services.', ['Chris', 'Paris'], 'reach out to OSMI'],
    ['(AI: Steering) Reach out to those who may be struggling', ['Steering'], 'Reach out to those who may be struggling'],
    ['**Action:** Han to open a PR for discussion.', ['Han'], 'open a PR for discussion.'],
    ['**Action (ehashman):** Investigate adding total metric counts', ['ehashman'], 'Investigate adding total metric counts'],
    ['TODO: Chris H opens an issue about Black', ['Chris H'], 'opens an issue about Black'],
    ['TODO(carol): write the charter', ['carol'], 'write the charter'],
    ['#action FranciscoD send out logs', ['FranciscoD'], 'send out logs'],
    ['**Action on Brad** to announce the subgroup', ['Brad'], 'announce the subgroup'],
    ['**ACTION 77.2**: Hudson to create EIP IP telegram channel.', ['Hudson'], 'create EIP IP telegram channel.'],
    ['> ***Action #1: add section outlining conversion to JSON.. (Gregg Kellogg)***', ['Gregg Kellogg'], 'add section outlining conversion to JSON.'],
    ['Brendan AI: Create process for user groups', ['Brendan'], 'Create process for user groups'],
    ['* ACTION: FranciscoD update docs  (FranciscoD, 14:35:34)', ['FranciscoD'], 'update docs'],
    ['ACTION: Christopher + Eric to work on a plan and PR.', ['Christopher', 'Eric'], 'work on a plan and PR.'],
  ])('%s', (raw, owners, text) => {
    const quoted = raw.startsWith('>');
    const r = one(quoted ? raw.slice(2) : raw, { quoted });
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0]).toMatchObject({ owners, text, line: 1 });
    expect(r.decisions).toEqual([]);
  });

  it('resolves owners against the attendees and keeps organisations as owners', () => {
    const people = [person('Ross Philipson', 'AIS Burlington'), person('James McKenzie', 'Bromium'), person('Rich Persaud', 'BAE')];
    const r = one('ACTION: Ross and AIS Burlington to find out by January if they can sign up', {}, people);
    expect(r.actions[0]).toMatchObject({ owners: ['Ross Philipson', 'AIS Burlington'], due: '2017-01-01' });
    expect(r.warnings).toEqual([]);
  });

  it('takes the subject only', () => {
    const people = [person('Ross Philipson'), person('James McKenzie'), person('Rich Persaud')];
    const r = one('ACTION: Ross and James to write a doc so that Rich can start the upstream discussion.', {}, people);
    expect(r.actions[0]!.owners).toEqual(['Ross Philipson', 'James McKenzie']);
    expect(r.actions[0]!.text).toBe('write a doc so that Rich can start the upstream discussion.');
  });
});

describe('decisions', () => {
  it.each([
    ['DECISION: ship 7.0 in March', 'ship 7.0 in March'],
    ['RESOLUTION: adopt the charter', 'adopt the charter'],
    ['RESOLVED: adopt the charter', 'adopt the charter'],
    ['AGREED: new meeting time will be 1600 UTC', 'new meeting time will be 1600 UTC'],
    ['Agreed: use the tarballs', 'use the tarballs'],
    ['#agreed use neuro.fp.o', 'use neuro.fp.o'],
    ['**Decision:** keep the stable branch', 'keep the stable branch'],
    ['Conclusion: Go with simple majority', 'Go with simple majority'],
    ['**OUTCOME**: slip the elections to Nov 12th', 'slip the elections to Nov 12th'],
    ['**DECISIONS 77.4**: EIP 1057 - Accepted and final.', 'EIP 1057 - Accepted and final.'],
  ])('%s', (raw, text) => {
    const r = one(raw);
    expect(r.decisions).toEqual([{ text, line: 1, topic: null }]);
    expect(r.actions).toEqual([]);
  });

  it('does not take a proposed resolution', () => {
    const r = one('**Proposed resolution: round-tripping is out-of-scope.** *(Gregg Kellogg)*');
    expect(r.decisions).toEqual([]);
  });

  it('reads "it is resolved" as a decision only as a formula, not as a wish', () => {
    expect(isDecisionSentence('It is resolved that the charter is adopted.')).toBe(true);
    expect(isDecisionSentence('It was agreed to move the call.')).toBe(true);
    expect(isDecisionSentence("We're behind by a lot! Important this is resolved")).toBe(false);
  });

  it('takes bullets under a Decisions heading', () => {
    const r = extractItems([block('- Use geological faults for testnet names', { headings: ['Decisions'] })], ctx());
    expect(r.decisions.map((d) => d.text)).toEqual(['Use geological faults for testnet names']);
  });

  it('reads a decision that assigns work as both', () => {
    const r = one('**Conclusion**: Meet every two weeks, Mark to send out invites with Meet link.');
    expect(r.decisions).toHaveLength(1);
    expect(r.actions[0]).toMatchObject({ owners: ['Mark'], text: 'send out invites with Meet link.' });
  });
});

describe('sections', () => {
  it('takes "Owner: task" and "Name to <verb>" under an Action items heading', () => {
    const blocks = [
      block('- Andrew and Trevor to review the PRs.', { headings: ['Next Steps'], line: 2 }),
      block('- Follow up on UI changes.', { headings: ['Next Steps'], line: 3 }),
      block('mmccool: Add the use case document', { headings: ['Action items'], line: 5 }),
    ];
    const r = extractItems(blocks, ctx());
    expect(r.actions.map((a) => [a.owners, a.text])).toEqual([
      [['Andrew', 'Trevor'], 'review the PRs.'],
      [[], 'Follow up on UI changes.'],
      [['mmccool'], 'Add the use case document'],
    ]);
    expect(r.warnings).toEqual([{ line: 3, message: "action has no owner: 'Follow up on UI changes.'" }]);
  });

  it('reads action tables with Owner and Due columns', () => {
    const header = ['Action', 'Owner', 'Due', 'Status'];
    const blocks = [
      block('| Write the RFC | James | 2017-01-10 | open |', { kind: 'tableRow', cells: ['Write the RFC', 'James', '2017-01-10', 'open'], header }),
      block('| Test stable-4.6 | Christopher | next week | done |', { kind: 'tableRow', cells: ['Test stable-4.6', 'Christopher', 'next week', 'done'], header, line: 2 }),
    ];
    const r = extractItems(blocks, ctx());
    expect(r.actions).toEqual([
      { owners: ['James'], text: 'Write the RFC', due: '2017-01-10', done: false, line: 1, topic: null },
      { owners: ['Christopher'], text: 'Test stable-4.6', due: '2016-12-23', done: true, line: 2, topic: null },
    ]);
  });
});

describe('done', () => {
  it.each([
    ['- [x] @jasnell open the PR', { kind: 'listItem', checked: true } as Partial<Block>],
    ['ACTION, Julee: Send around the Doodle poll DONE', {}],
    ['ACTION: Julee to send the poll (done)', {}],
    ['~~[Jim] AI: talk about background~~', { struck: true }],
    ['DONE: ACTION: Kohsuke to turn this into a PR', {}],
  ])('%s', (raw, over) => {
    const r = one(raw, over);
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0]!.done).toBe(true);
    expect(r.actions[0]!.text).not.toMatch(/done/i);
  });
});

describe('not actions', () => {
  it.each([
    ['We discussed the transaction fees at length'],
    ['This item is actionable once the spec lands'],
    ['Call to action: interested project proposals!'],
    ['The action of the committee was unclear'],
    ['Examples of types of actions that are prohibited at meetings'],
  ])('%s', (raw) => {
    expect(one(raw).actions).toEqual([]);
  });

  it('skips fenced code and quoted old minutes', () => {
    const fenced = block('```\nACTION: Bob to do it\n```', { kind: 'code' });
    const quoted = block('ACTION: Bob to do it', { quoted: true });
    const r = extractItems([fenced, quoted], ctx());
    expect(r.actions).toEqual([]);
  });

  it('skips attendance blocks and speaking-queue checkboxes', () => {
    const r = extractItems([
      block('- [ ] Bill Roberts - Adobe Inc.', { kind: 'listItem', checked: false, role: 'attendance' }),
      block('- [ ] name', { kind: 'listItem', checked: false, headings: ['Speaking queue'] }),
    ], ctx());
    expect(r.actions).toEqual([]);
  });

  it('warns about an empty Action Item and creates nothing', () => {
    const r = one('Action Item: ');
    expect(r.actions).toEqual([]);
    expect(r.warnings).toEqual([{ line: 1, message: "empty action item: 'Action Item:' has no text" }]);
  });
});

describe('the same action listed twice', () => {
  it('keeps the first listing (MeetBot inline list and Action Items block)', () => {
    const r = extractItems([
      block('* ACTION: kishan screenshots for KDE  (FranciscoD, 15:50:26)', { line: 4 }),
      block('* kishan screenshots for KDE', { headings: ['Action Items'], line: 20 }),
      block('* kishan screenshots for KDE', { headings: ['Action Items, by person'], line: 30, depth: 1 }),
    ], ctx());
    expect(r.actions).toEqual([{ owners: ['kishan'], text: 'screenshots for KDE', due: null, done: false, line: 4, topic: null }]);
  });
});

describe('suggestions', () => {
  it.each([
    ['starting point would be for Chris Rogers to create a wiki page which documents it', 'action', ['Chris Rogers'], 'create a wiki page which documents it'],
    ['Maintainer nomination: need input from Rich Turner', 'action', ['Rich Turner'], 'Maintainer nomination: need input from Rich Turner'],
    ['Eric submitted a versioning proposal on mailing list, no objections', 'decision', [], 'Eric submitted a versioning proposal on mailing list, no objections'],
    ['Rich Persaud volunteered to be release manager for 8.0.0, will request help.', 'decision', [], 'Rich Persaud volunteered to be release manager for 8.0.0'],
    ['Should we put it in the TSC repo? Consensus is yes, would be better.', 'decision', [], 'Consensus is yes, would be better.'],
  ])('%s', (raw, kind, owners, text) => {
    const r = one(raw);
    expect(r.actions).toEqual([]);
    expect(r.decisions).toEqual([]);
    expect(r.suggestions).toHaveLength(1);
    expect(r.suggestions[0]).toMatchObject({ kind, owners, text, line: 1 });
    expect(r.suggestions[0]!.reason).not.toBe('');
  });

  it('does not suggest from questions or object positions', () => {
    expect(one('Are there any objections?').suggestions).toEqual([]);
    expect(one('dsinger is failing to get Colloquy to connect.').suggestions).toEqual([]);
  });
});

describe('robustness', () => {
  it('never throws, is deterministic and keeps lines inside the input', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 20 }), (lines) => {
      const blocks = lines.map((l, i) => block(l, { line: i + 1 }));
      const a = extractItems(blocks, ctx());
      const b = extractItems(blocks, ctx());
      expect(a).toEqual(b);
      for (const item of [...a.actions, ...a.decisions, ...a.suggestions, ...a.warnings]) {
        expect(item.line).toBeGreaterThanOrEqual(1);
        expect(item.line).toBeLessThanOrEqual(Math.max(1, lines.length));
      }
    }), { numRuns: 300 });
  });

  it('stays linear on long hostile lines', () => {
    const hostile = [
      'ACTION: ' + 'A '.repeat(50_000),
      'AI: ' + 'Ross and '.repeat(20_000) + 'to',
      '(AI: ' + '('.repeat(30_000),
      'by '.repeat(30_000),
      'Name (organization) <email> '.repeat(5_000),
      'ACTION: Ross' + ' '.repeat(200_000) + 'x',
      '[a](b)'.repeat(1000) + ' '.repeat(200_000) + 'x',
      'ACTION, ' + ','.repeat(200_000) + 'x',
      'ACTION: x' + ' - '.repeat(60_000) + 'y',
      'ghurlbot: ' + '-> action 1 '.repeat(15_000),
      'ACTION: ' + '[Ross](u) and '.repeat(15_000),
    ];
    // Each shape as a bullet under "Action items", a loose paragraph and an owner table row.
    const blocks = hostile.flatMap((h, i) => [
      block(h, { line: i + 1, kind: 'listItem', headings: ['Action items'] }),
      block(h, { line: i + 1, kind: 'paragraph' }),
      block(h, { line: i + 1, kind: 'tableRow', cells: [h, h], header: ['Owner', 'Action'] }),
    ]);
    const r = extractItems(blocks, ctx());
    expect(r.actions.length).toBeGreaterThan(0);
  });

  it('reads the OpenXT call through parseMinutes', () => {
    const text = '# Community Call - 15th December 2016\n\n## Attendees\n\n- Ross Philipson, Eric Chanudet; AIS Burlington\n\n## Release\n\nACTION: Ross and AIS Burlington to find out by January if they can do QA.\n';
    const parsed = parseMinutes(text);
    expect(parsed.actions).toEqual([{ owners: ['Ross Philipson', 'AIS Burlington'], text: 'find out by January if they can do QA.', due: '2017-01-01', done: false, line: 9, topic: 'Release' }]);
  });
});

describe('speaker suggestions', () => {
  it('reads a speaker taking a task in IRC notes', () => {
    expect(one('mk: ok, will merge PR').suggestions[0]).toMatchObject({ kind: 'action', owners: ['mk'], text: 'will merge PR' });
    expect(one('ege: I will create the issue').suggestions[0]).toMatchObject({ kind: 'action', owners: ['ege'], text: 'I will create the issue' });
  });
  it('does not read a summary line as the speaker promising', () => {
    expect(one('Rich: will enable collaboration with other users').suggestions).toEqual([]);
  });
});

describe('empty labels', () => {
  it('warns about a TODO bullet with nothing under it', () => {
    const r = extractItems([block('* TODO:', { kind: 'listItem', line: 3 }), block('* Outreachy', { kind: 'listItem', line: 4 })], ctx());
    expect(r.actions).toEqual([]);
    expect(r.warnings).toEqual([{ line: 3, message: "empty action item: 'TODO:' has no text" }]);
  });
  it('reads the bullets under a TODO bullet as actions', () => {
    const r = extractItems([
      block('* TODO:', { kind: 'listItem', line: 3 }),
      block('    * Update repo with new statistics', { kind: 'listItem', line: 4, depth: 1, text: 'Update repo with new statistics' }),
    ], ctx());
    expect(r.actions.map((a) => a.text)).toEqual(['Update repo with new statistics']);
  });
});
