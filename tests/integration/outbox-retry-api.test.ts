import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { createApp } from '../../server/app.js';

describe('retrying a failed email by hand (API)', () => {
  let sink: SmtpSink;
  let world: TestWorld;
  let server: Server;
  let origin: string;
  let admin: string;
  let member: string;

  beforeEach(async () => {
    sink = await startSmtpSink();
    world = openWorld({ env: { SMTP_URL: sink.url } });
    admin = world.services.tokens.create({ role: 'admin', name: 'ops' }).token;
    member = world.services.tokens.create({ role: 'member', name: 'someone' }).token;
    server = createApp(world.services).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    world.services.mailer.close();
    world.close();
    await sink.close();
  });

  const call = async (method: string, path: string, token: string) => {
    const res = await fetch(origin + path, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lists a 550 as failed, retries it on request, and refuses what cannot be retried', async () => {
    sink.plan = ['perm-fail'];
    const { id } = world.services.outbox.enqueue({ dedupeKey: 'x:1', kind: 'test', to: 'a@example.org', subject: 'Hello', text: 'Hi\n' });
    await world.services.outbox.flush();

    expect((await call('GET', '/api/outbox', member)).status).toBe(403);
    const failed = await call('GET', '/api/outbox?status=failed', admin);
    expect(failed.status).toBe(200);
    expect(failed.body.counts).toMatchObject({ failed: 1 });
    expect(failed.body.emails).toEqual([expect.objectContaining({ id, status: 'failed', to: 'a@example.org', lastError: expect.stringMatching(/^550/) })]);

    const retried = await call('POST', `/api/outbox/${id}/retry`, admin);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id, status: 'sent' });
    expect(sink.received.map((m) => m.subject)).toEqual(['Hello']);

    const again = await call('POST', `/api/outbox/${id}/retry`, admin);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'not-failed' } });
    expect((await call('POST', '/api/outbox/999/retry', admin)).status).toBe(404);
    expect((await call('POST', '/api/outbox/abc/retry', admin)).status).toBe(400);
  });
});
