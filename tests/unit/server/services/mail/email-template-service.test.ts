import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createEmailTemplateService, wrap } from '../../../../../server/services/mail/email-template-service.js';
import { stripQuoted } from '../../../../../server/services/mail/reply-service.js';
import { templatesDir } from '../../../../../server/paths.js';

const templates = createEmailTemplateService({ dir: join(templatesDir, 'email'), baseUrl: 'https://minutes.example.org' });

describe('email templates', () => {
  it('every template renders its sample: one-line subject, short text lines, an HTML twin', () => {
    expect(templates.names()).toEqual(expect.arrayContaining(['agenda', 'digest', 'escalation', 'sign-in']));
    for (const name of templates.names()) {
      const email = templates.render(name, templates.sample(name));
      expect(email.subject, name).not.toMatch(/\n|^\s|\s$/);
      expect(email.subject.length, name).toBeGreaterThan(5);
      for (const line of email.text.split('\n')) if (!/https?:\/\//.test(line)) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(78);
      expect(email.text, name).not.toMatch(/\n{3,}/);
      expect(email.html, name).toMatch(/^<!doctype html>/);
    }
  });

  it('escapes HTML in the HTML twin only', () => {
    const e = templates.render('digest', { ...templates.sample('digest') });
    expect(e.text).toContain('check tboot <2.0> with UEFI on the test box & report');
    expect(e.html).toContain('check tboot &lt;2.0&gt; with UEFI on the test box &amp; report');
  });

  it('refuses unknown or odd template names', () => {
    expect(() => templates.render('../pages/layout', {})).toThrow(/no email template/);
    expect(() => templates.render('nope', {})).toThrow(/no email template/);
  });
});

describe('wrap', () => {
  it('wraps at the width with a hanging indent and never breaks long words', () => {
    expect(wrap('one two three four', 9, '  ')).toBe('one two\n  three\n  four');
    expect(wrap('https://example.org/a/very/long/url short', 10, ' ')).toBe('https://example.org/a/very/long/url\n short');
    expect(wrap('aaa bbb', 10, '', 5)).toBe('aaa\nbbb');
  });
});

describe('stripQuoted', () => {
  it('keeps the reply, drops the quoted message and signature', () => {
    expect(stripQuoted('done 2\r\n\r\nOn Mon, 23 Nov 2026, Minutes wrote:\r\n> Hello')).toBe('done 2');
    expect(stripQuoted('Will do.\n> quoted')).toBe('Will do.');
    expect(stripQuoted('Thanks\n-- \nRoss')).toBe('Thanks');
    expect(stripQuoted('Sure\n\n-----Original Message-----\nFrom: x')).toBe('Sure');
  });
});
