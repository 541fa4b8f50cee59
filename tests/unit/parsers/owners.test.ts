import { describe, expect, it } from 'vitest';
import { extractOwner, isOwnerPhrase, matchAttendees, resolveOwners, splitOwners } from '../../../parsers/owners.js';
import type { ParsedAttendee } from '../../../parsers/types.js';

const person = (name: string, org: string | null = null, handle: string | null = null): ParsedAttendee => ({ name, org, handle, role: null });
const OPENXT = [
  person('Christopher Clark', 'BAE'), person('Rich Persaud', 'BAE'), person('James McKenzie', 'Bromium'),
  person('Ross Philipson', 'AIS Burlington'), person('Eric Chanudet', 'AIS Burlington'),
];

describe('splitOwners', () => {
  it.each([
    ['Ross and James', ['Ross', 'James']],
    ['Christopher + Eric', ['Christopher', 'Eric']],
    ['Chris, Paris', ['Chris', 'Paris']],
    ['Carol/Pablo', ['Carol', 'Pablo']],
    ['Tara & DLz', ['Tara', 'DLz']],
    ['@a @b', ['@a', '@b']],
    ['Ross and AIS Burlington', ['Ross', 'AIS Burlington']],
    ['  ', []],
  ])('%s', (phrase, names) => {
    expect(splitOwners(phrase)).toEqual(names);
  });
});

describe('isOwnerPhrase', () => {
  it('accepts names, handles, initials and groups', () => {
    for (const p of ['Ross and James', 'Paul I', '@jasnell', 'KK', 'ALL', 'CPC members', 'All steering committee members', 'Mr. Mertic', 'FranciscoD']) {
      expect(isOwnerPhrase(p), p).toBe(true);
    }
  });
  it('refuses ordinary words and tasks', () => {
    for (const p of ['Update docs', 'This', 'We', 'Work with Hyperledger Besu team', 'the team', 'Need']) {
      expect(isOwnerPhrase(p), p).toBe(false);
    }
  });
  it('accepts a lowercase nick only where a marker allows it', () => {
    expect(isOwnerPhrase('ehashman')).toBe(false);
    expect(isOwnerPhrase('ehashman', { allowLowerNick: true })).toBe(true);
  });
});

describe('matchAttendees / resolveOwners', () => {
  it('resolves a first name that matches one attendee', () => {
    expect(resolveOwners(['Ross', 'James'], OPENXT)).toEqual({ owners: ['Ross Philipson', 'James McKenzie'], warnings: [] });
  });
  it('is case- and accent-insensitive', () => {
    expect(resolveOwners(['josé'], [person('José García')]).owners).toEqual(['José García']);
    expect(resolveOwners(['ROSS'], OPENXT).owners).toEqual(['Ross Philipson']);
  });
  it('keeps an organisation of the attendees as a group owner, without a warning', () => {
    expect(resolveOwners(['AIS Burlington'], OPENXT)).toEqual({ owners: ['AIS Burlington'], warnings: [] });
  });
  it('keeps group words as written', () => {
    expect(resolveOwners(['ALL', 'Chairs'], OPENXT)).toEqual({ owners: ['ALL', 'Chairs'], warnings: [] });
  });
  it('warns when a first name matches several attendees', () => {
    const both = [person('Rich Turner'), person('Rich Persaud')];
    expect(resolveOwners(['Rich'], both)).toEqual({ owners: ['Rich'], warnings: ["owner 'Rich' matches 2 attendees: Rich Persaud, Rich Turner"] });
  });
  it('warns when a name matches no attendee, but not when there is no attendee list', () => {
    expect(resolveOwners(['Zed'], OPENXT)).toEqual({ owners: ['Zed'], warnings: ["owner 'Zed' matches no attendee"] });
    expect(resolveOwners(['Zed'], [])).toEqual({ owners: ['Zed'], warnings: [] });
  });
  it('matches handles, "First L" and initials', () => {
    const people = [person('James Snell', null, '@jasnell'), person('Chris Holdgraf'), person('Kohsuke Kawaguchi')];
    expect(matchAttendees('@jasnell', people).map((a) => a.name)).toEqual(['James Snell']);
    expect(matchAttendees('Chris H', people).map((a) => a.name)).toEqual(['Chris Holdgraf']);
    expect(matchAttendees('KK', people).map((a) => a.name)).toEqual(['Kohsuke Kawaguchi']);
  });
  it('does not repeat an owner named twice', () => {
    expect(resolveOwners(['Ross', 'Ross Philipson'], OPENXT).owners).toEqual(['Ross Philipson']);
  });
});

describe('extractOwner', () => {
  const opts = { attendees: OPENXT, explicit: true };
  it('takes only the subject', () => {
    expect(extractOwner('Ross and James to write a doc so that Rich can start the upstream discussion.', opts)).toEqual({
      owner: 'Ross and James', task: 'write a doc so that Rich can start the upstream discussion.',
    });
  });
  it.each([
    ['Eric will post the notes', 'Eric', 'post the notes'],
    ['Jay: Share the slides', 'Jay', 'Share the slides'],
    ['Qiming - will boost visibility', 'Qiming', 'boost visibility'],
    ['FranciscoD update docs', 'FranciscoD', 'update docs'],
    ['shepazu send out a doodle poll', 'shepazu', 'send out a doodle poll'],
    ['add section on the profile (Gregg Kellogg)', 'Gregg Kellogg', 'add section on the profile'],
    ['share out old docs (jim)', 'jim', 'share out old docs'],
    ['[Zach, Kaitlyn] Need to put out an agenda', 'Zach, Kaitlyn', 'Need to put out an agenda'],
    ['Need an initial proposal. Han and Frederic volunteer to start a draft.', 'Han and Frederic', 'Need an initial proposal. Han and Frederic volunteer to start a draft.'],
  ])('%s', (text, owner, task) => {
    expect(extractOwner(text, { attendees: [], explicit: true })).toEqual({ owner, task });
  });
  it('reads owners written as Markdown links', () => {
    const raw = '- [Maria Aarao](https://x/1) [Carlos Rischioto](https://x/2) to propose a dinner';
    expect(extractOwner('Maria Aarao Carlos Rischioto to propose a dinner', { attendees: [], explicit: true, raw })).toEqual({
      owner: 'Maria Aarao, Carlos Rischioto', task: 'propose a dinner',
    });
  });
  it('finds no owner in an imperative task', () => {
    for (const t of ['Update docs to reference structured logging', 'Follow up on UI changes', 'This will be coordinated this week.']) {
      expect(extractOwner(t, { attendees: [], explicit: true }).owner, t).toBeNull();
    }
  });
});
