import { describe, expect, test } from 'vitest';
import { cadenceOf, choiceOf, describeCadence, type CadenceChoice } from '../../../domain/cadence-patterns.js';

const choice = (c: Partial<CadenceChoice>): CadenceChoice => ({ pattern: 'none', weekday: 'TH', nth: 1, rrule: '', ...c });

describe('cadence patterns of the series form', () => {
  test.each([
    [choice({ pattern: 'weekly', weekday: 'MO' }), 'FREQ=WEEKLY;BYDAY=MO', 'weekly on Monday'],
    [choice({ pattern: 'biweekly', weekday: 'WE' }), 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', 'every 2 weeks on Wednesday'],
    [choice({ pattern: 'monthly-nth', nth: 2, weekday: 'TH' }), 'FREQ=MONTHLY;BYDAY=2TH', 'monthly on the 2nd Thursday'],
    [choice({ pattern: 'monthly-last', weekday: 'FR' }), 'FREQ=MONTHLY;BYDAY=-1FR', 'monthly on the last Friday'],
  ])('%o <-> %s', (c, rule, text) => {
    expect(cadenceOf(c)).toBe(rule);
    expect(choiceOf(rule)).toEqual(c);
    expect(describeCadence(rule)).toBe(text);
  });

  test('anything else stays a raw RRULE; nothing is no cadence', () => {
    expect(choiceOf('FREQ=MONTHLY;BYMONTHDAY=1')).toMatchObject({ pattern: 'rrule', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1' });
    expect(choiceOf('FREQ=WEEKLY;INTERVAL=3;BYDAY=TH').pattern).toBe('rrule');
    expect(cadenceOf(choice({ pattern: 'rrule', rrule: '  FREQ=DAILY ' }))).toBe('FREQ=DAILY');
    expect(cadenceOf(choice({ pattern: 'none' }))).toBeNull();
    expect(choiceOf(null).pattern).toBe('none');
    expect(describeCadence(null)).toBe('no cadence');
  });
});
