import { describe, expect, it } from 'vitest';
import { findDue, resolveDatePhrase } from '../../../parsers/due-dates.js';

// 2016-12-15 is a Thursday (the OpenXT call).
const MEETING = '2016-12-15';

describe("resolveDatePhrase: 'next <weekday>' is that weekday of next week (Monday-start weeks)", () => {
  it.each([
    // Meeting on Monday 2024-03-04: "this Friday" is 03-08, "next Friday" a week later.
    ['2024-03-04', 'Friday', '2024-03-08'],
    ['2024-03-04', 'this Friday', '2024-03-08'],
    ['2024-03-04', 'next Friday', '2024-03-15'],
    ['2024-03-04', 'next Monday', '2024-03-11'],
    // Meeting on Thursday 2016-12-15: "next Tuesday" is the coming one, "next Friday" not tomorrow.
    ['2016-12-15', 'next Tuesday', '2016-12-20'],
    ['2016-12-15', 'next Friday', '2016-12-23'],
    ['2016-12-15', 'next thu', '2016-12-22'],
    // Meeting on Sunday 2024-03-10: next week starts the day after.
    ['2024-03-10', 'next Wednesday', '2024-03-13'],
  ])('meeting %s: %s -> %s', (meeting, phrase, due) => {
    expect(resolveDatePhrase(phrase, meeting)).toBe(due);
  });

  it('reads "by next Friday" in an action the same way', () => {
    expect(findDue('send the draft by next Friday', '2024-03-04', null)?.due).toBe('2024-03-15');
  });
});

describe('resolveDatePhrase', () => {
  it.each([
    ['2017-02-03', '2017-02-03'],
    ['January', '2017-01'],
    ['Oct call', '2017-10'],
    ['October', '2017-10'],
    ['December', '2016-12'],
    ['end of March', '2017-03-31'],
    ['Friday', '2016-12-16'],
    ['Thursday', '2016-12-22'],
    ['this week', '2016-12-16'],
    ['next week', '2016-12-23'],
    ['in two weeks', '2016-12-29'],
    ['in 3 days', '2016-12-18'],
    ['in 1-2 weeks', '2016-12-29'],
    ['tomorrow', '2016-12-16'],
    ['27 Jul 2022', '2022-07-27'],
    ['Dec 20th', '2016-12-20'],
    ['week of Jan 13', '2017-01-13'],
    ['end of the month', '2016-12-31'],
    ['the 3rd', '2017-01-03'],
    ['Q3', '2017-09-30'],
    ['end of the year', '2016-12-31'],
    ['mid-January', '2017-01-15'],
    ['within two weeks', '2016-12-29'],
  ])('%s -> %s', (phrase, expected) => {
    expect(resolveDatePhrase(phrase, MEETING)).toBe(expected);
  });

  it('reads a month-only meeting date as the first of that month', () => {
    expect(resolveDatePhrase('Oct call', '2017-09')).toBe('2017-10');
    expect(resolveDatePhrase('next week', '2017-09')).toBe('2017-09-08');
  });

  it('rolls a bare month over the year end', () => {
    expect(resolveDatePhrase('Jan', '2016-12-15')).toBe('2017-01');
  });

  it('needs a meeting date for relative phrases, not for dates with a year', () => {
    expect(resolveDatePhrase('Friday', null)).toBeNull();
    expect(resolveDatePhrase('next week', null)).toBeNull();
    expect(resolveDatePhrase('27 Jul 2022', null)).toBe('2022-07-27');
    expect(resolveDatePhrase('2024-03-07', null)).toBe('2024-03-07');
  });

  it('refuses what is not a date', () => {
    expect(resolveDatePhrase('the team', MEETING)).toBeNull();
    expect(resolveDatePhrase('', MEETING)).toBeNull();
    expect(resolveDatePhrase('2024-02-30', MEETING)).toBeNull();
  });

  it('never reads the clock: the same phrase and meeting give the same date', () => {
    expect(resolveDatePhrase('next week', '2030-06-05')).toBe('2030-06-14');
  });
});

describe('findDue', () => {
  it('finds "by January" as the first of the month', () => {
    expect(findDue('find out by January if they can sign up to perform QA', MEETING, null)).toEqual({ due: '2017-01-01', phrase: 'January if they can' });
  });

  it.each([
    ['send the draft by Friday', '2016-12-16'],
    ['release the blog post on Monday', '2016-12-19'],
    ['do this in a week or so', '2016-12-22'],
    ['finish it this week', '2016-12-16'],
    ['review the PR next week', '2016-12-23'],
    ['publish by end of March', '2017-03-31'],
    ['publish by 2017-02-01', '2017-02-01'],
    ['post the agenda (due 2017-01-05)', '2017-01-05'],
    ['add section outlining conversion due 27 Jul 2022', '2022-07-27'],
    ['Promote the event more in advance Silona Bonewald 14 Jan 2020', '2020-01-14'],
  ])('%s', (text, due) => {
    expect(findDue(text, MEETING, null)?.due).toBe(due);
  });

  it('takes the next meeting date for "before the next meeting" when known', () => {
    expect(findDue('Update your node before next meeting', MEETING, '2017-01-12')).toEqual({ due: '2017-01-12', phrase: 'before next meeting' });
    expect(findDue('Update your node before next meeting', MEETING, null)).toBeNull();
  });

  it('flags a deadline it cannot read', () => {
    expect(findDue('ship it by end of Q7 sprint', MEETING, null)).toMatchObject({ due: null, unreadable: true });
    expect(findDue('deadline: whenever the moon is full', MEETING, null)).toMatchObject({ due: null, unreadable: true });
  });

  it('reads US short dates after "by"', () => {
    expect(findDue('send it by 12/20', MEETING, null)?.due).toBe('2016-12-20');
  });

  it('does not take "by" that is not a deadline', () => {
    expect(findDue('talk by 1600 UTC', MEETING, null)).toBeNull();
    expect(findDue('reviewed by 2 people', MEETING, null)).toBeNull();
    expect(findDue('a doc written by Rich so that others can review', MEETING, null)).toBeNull();
    expect(findDue('work on a plan and PR', MEETING, null)).toBeNull();
  });

  it('never throws on odd input', () => {
    for (const s of ['by', 'due', 'by 99/99/9999', 'in 0 weeks', 'by \u0000', 'by '.repeat(5000)]) {
      expect(() => findDue(s, MEETING, null)).not.toThrow();
    }
  });
});
