import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestWorld } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { startTestServer, type TestServer } from './http-support.js';

describe('retrying a failed email by hand (API)', () => {
  let sink: SmtpSink;
  let server: TestServer;
  let world: TestWorld;

  beforeEach(async () => {
    sink = await startSmtpSink();
    server = await startTestServer({ env: { SMTP_URL: sink.url } });
    world = server.world;
  });
  afterEach(async () => {
    await server.close();
    await sink.close();
  });

  const call = async (method: string, path: string, role: 'admin' | 'member') => {
    const res = await server.api(role, path, { method });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lists a 550 as failed, retries it on request, and refuses what cannot be retried', async () => {
    sink.plan = ['perm-fail'];
    const { id } = await world.services.outbox.enqueue({ dedupeKey: 'x:1', kind: 'test', to: 'a@example.org', subject: 'Hello', text: 'Hi\n' });
    await world.services.outbox.flush();

    expect((await call('GET', '/api/outbox', 'member')).status).toBe(403);
    const failed = await call('GET', '/api/outbox?status=failed', 'admin');
    expect(failed.status).toBe(200);
    expect(failed.body.counts).toMatchObject({ failed: 1 });
    expect(failed.body.emails).toEqual([expect.objectContaining({ id, status: 'failed', to: 'a@example.org', lastError: expect.stringMatching(/^550/) })]);

    const retried = await call('POST', `/api/outbox/${id}/retry`, 'admin');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id, status: 'sent' });
    expect(sink.received.map((m) => m.subject)).toEqual(['Hello']);

    const again = await call('POST', `/api/outbox/${id}/retry`, 'admin');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'not-failed' } });
    expect((await call('POST', '/api/outbox/999/retry', 'admin')).status).toBe(404);
    expect((await call('POST', '/api/outbox/abc/retry', 'admin')).status).toBe(400);
  });
});
