import { describe, expect, it } from 'vitest';
import { backoffMs, classifyDeliveryError } from '../../../../server/adapters/delivery-errors.js';

describe('classifyDeliveryError', () => {
  it('4xx replies are temporary, 5xx permanent', () => {
    expect(classifyDeliveryError({ responseCode: 451, response: '451 4.3.0 Mailbox busy' })).toEqual({ permanent: false, message: '451 451 4.3.0 Mailbox busy' });
    expect(classifyDeliveryError({ responseCode: 550, response: '550 No such user', code: 'EENVELOPE' }).permanent).toBe(true);
    expect(classifyDeliveryError({ responseCode: 421, code: 'EENVELOPE', message: 'closing' }).permanent).toBe(false);
  });

  it('connection trouble without a reply code is temporary', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNRESET']) {
      expect(classifyDeliveryError(Object.assign(new Error('x'), { code })).permanent, code).toBe(false);
    }
  });

  it('a message nodemailer cannot build is permanent; messages stay on one line', () => {
    const f = classifyDeliveryError(Object.assign(new Error('bad\naddress'), { code: 'EMESSAGE' }));
    expect(f).toEqual({ permanent: true, message: 'EMESSAGE bad address' });
  });
});

describe('backoffMs', () => {
  it('doubles from one minute and caps at six hours', () => {
    expect([1, 2, 3, 4, 10, 20].map((n) => backoffMs(n) / 60_000)).toEqual([1, 2, 4, 8, 360, 360]);
  });
});
