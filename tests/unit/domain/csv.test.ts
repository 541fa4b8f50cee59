import { describe, expect, test } from 'vitest';
import { csvField, csvRecord } from '../../../domain/csv.js';

describe('RFC 4180 CSV', () => {
  test('quotes only fields with a comma, quote, CR or LF; doubles quotes; CRLF ends records', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "yes"')).toBe('"say ""yes"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(csvRecord(['id', 'text, with comma', null, 3])).toBe('id,"text, with comma",,3\r\n');
  });
});
