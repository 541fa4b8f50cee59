/**
 * Reminder planning and digest sending.
 * - plan: 100,000 open actions across 10,000 people -> target under 2 s; baseline: a bare
 *   count(*) over the same open actions joined to their owners.
 * - pass: the whole decision (render, sign, record, enqueue) for the same data, in batches of
 *   200 people -> target under 10 s in all and no event-loop block over 200 ms (the pass runs
 *   inside the server); baseline: the same pass as one batch (one transaction for everyone).
 * - dashboard: the reads of one `/` load over the same data (reported, no target).
 * - send: 1,000 digests through the outbox to a local smtp-server -> target under 10 s;
 *   baseline: the same 1,000 messages sent with a pooled nodemailer transport directly.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { openWorld } from '../helpers/env.js';
import type { SqliteDatabase } from '../../server/db/sqlite-database.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { fixedClock } from '../../server/clock.js';
import type { Services } from '../../server/container.js';

const PEOPLE = 10_000;
const ACTIONS = 100_000;
const DIGESTS = 1_000;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const f = (n: number) => `${n.toFixed(0)} ms`;

export function seedBig(db: import('better-sqlite3').Database) {
  const T = '2026-01-01T00:00:00.000Z';
  // better-sqlite3's own transaction (synchronous): `transaction(fn)` makes the function, `()` runs it.
  db.transaction(() => {
    const person = db.prepare(`INSERT INTO people (name, name_key, email, kind, created_at, updated_at) VALUES (?, ?, ?, 'person', ?, ?)`);
    for (let i = 1; i <= PEOPLE; i++) person.run(`Person ${i}`, `person ${i}`, i % 50 === 0 ? null : `p${i}@example.org`, T, T);
    const chair = db.prepare(`SELECT id FROM people WHERE email = 'p1@example.org'`).get() as { id: number };
    const series = Number(db.prepare(`INSERT INTO series (slug, name, chair_person_id, created_at, updated_at) VALUES ('s', 'Series', ?, ?, ?)`).run(chair.id, T, T).lastInsertRowid);
    const meeting = db.prepare(`INSERT INTO meetings (series_id, date, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
    const meetings: number[] = [];
    for (let m = 0; m < 100; m++) {
      const date = new Date(Date.parse('2025-01-02') + m * 3 * 86_400_000).toISOString().slice(0, 10);
      meetings.push(Number(meeting.run(series, date, `Call ${date}`, T, T).lastInsertRowid));
    }
    const action = db.prepare(`INSERT INTO actions (text, due, status, origin_meeting_id, last_meeting_id, line, carried_count, snoozed_until, created_at, updated_at)
      VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`);
    const owner = db.prepare(`INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)`);
    for (let i = 0; i < ACTIONS; i++) {
      const m = meetings[i % meetings.length];
      const due = i % 3 === 0 ? null : new Date(Date.parse('2025-06-01') + (i % 900) * 86_400_000).toISOString().slice(0, 10);
      const id = Number(action.run(`action number ${i} to do something useful`, due, m, m, 10 + (i % 40), i % 4, i % 17 === 0 ? '2027-01-01' : null, T, T).lastInsertRowid);
      const p = (i % PEOPLE) + 1;
      owner.run(id, 0, p, `Person ${p}`);
      if (i % 10 === 0) owner.run(id, 1, ((i * 7) % PEOPLE) + 1, 'Other');
    }
  })();
}

/** One pass without sending: wall time and the longest event-loop delay seen meanwhile. */
async function measurePass(services: Services, batching: { batchSize?: number; budgetMs?: number } = {}) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  // A timer keeps the loop ticking, so a block shows up as the delay of the tick behind it.
  const tick = setInterval(() => undefined, 5);
  h.enable();
  await new Promise((done) => setTimeout(done, 20)); // the first sample only sets the clock
  const t0 = process.hrtime.bigint();
  const r = await services.reminders.run({ flush: false, ...batching });
  const total = ms(t0);
  await new Promise((done) => setTimeout(done, 20));
  h.disable();
  clearInterval(tick);
  return { total, block: h.max / 1e6, enqueued: r.enqueued };
}

export async function run(): Promise<void> {
  // --- planning ---
  const world = openWorld({ clock: fixedClock('2026-11-23T09:00:00Z'), env: { SMTP_URL: '' } });
  seedBig((world.db as SqliteDatabase).handle);
  (world.db as SqliteDatabase).handle.pragma('optimize');
  const count = world.db.prepare(`SELECT count(*) AS n FROM actions a JOIN action_owners o ON o.action_id = a.id WHERE a.status = 'open'`);
  await count.get();
  await world.services.reminders.plan(); // warm statements and page cache
  const runs = 3;
  let base = Infinity;
  let plan = Infinity;
  let planned = 0;
  for (let i = 0; i < runs; i++) {
    let t0 = process.hrtime.bigint();
    await count.get();
    base = Math.min(base, ms(t0));
    t0 = process.hrtime.bigint();
    const p = await world.services.reminders.plan();
    plan = Math.min(plan, ms(t0));
    planned = p.digests.reduce((n, d) => n + d.actions.length, 0);
  }
  // A plan of nothing measures nothing (the seeding once silently did not run).
  if (planned === 0) throw new Error('the reminder plan found no digest lines: the seeding did not run');
  console.log(`plan reminders, ${ACTIONS} open actions / ${PEOPLE} people (${planned} digest lines): ${f(plan)} (target < 2000 ms: ${plan < 2000 ? 'ok' : 'SLOW'}); baseline count(*) ${f(base)}; ratio ${(plan / base).toFixed(1)}x`);
  // The dashboard's reads on the same data (what `/` asks of the services besides rendering):
  // the owner cards, the owners nobody can mail and the review count. Its per-owner counts are
  // aggregates over every open action, kept until the next commit: measured after a commit
  // (a one-row write first) and with nothing changed. No target: reported for the README.
  const load = async () => {
    const t0 = process.hrtime.bigint();
    await world.services.actions.ownerSummary({ owners: 24, perOwner: 8 });
    await world.services.reminders.ownersWithoutEmail();
    await world.services.review.count();
    return ms(t0);
  };
  const afterCommit: number[] = [];
  const unchanged: number[] = [];
  for (let i = 0; i < 5; i++) {
    await world.db.run('UPDATE actions SET updated_at = updated_at WHERE id = 1');
    afterCommit.push(await load());
    unchanged.push(await load());
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
  console.log(`dashboard reads (24 owner cards, owners without an address, review count), same data: median ${f(mid(afterCommit))} per load after a commit, ${f(mid(unchanged))} when nothing changed`);
  // The whole decision, as the server's scheduler runs it: total time and the longest stretch
  // the event loop could not answer anything else. Baseline: everyone in one batch.
  const forget = () => world.db.exec(`DELETE FROM reminder_digest_items; DELETE FROM reminder_digests;
    DELETE FROM action_events WHERE kind = 'reminded'; DELETE FROM outbox;`);
  const one = await measurePass(world.services, { batchSize: PEOPLE, budgetMs: Infinity });
  await forget();
  const batched = await measurePass(world.services);
  if (one.enqueued === 0 || batched.enqueued !== one.enqueued) throw new Error(`the passes enqueued ${one.enqueued} and ${batched.enqueued} digests`);
  console.log(`full reminder pass without sending, batches of 200 people or 50 ms (count reads in slices): ${f(batched.total)} for ${batched.enqueued} digests (target < 10000 ms: ${batched.total < 10_000 ? 'ok' : 'SLOW'}); ` +
    `longest event-loop block ${f(batched.block)} (target < 200 ms: ${batched.block < 200 ? 'ok' : 'SLOW'})`);
  console.log(`  baseline one transaction for everyone: ${f(one.total)}, longest block ${f(one.block)}; ` +
    `ratio total ${(batched.total / one.total).toFixed(2)}x, longest block ${(batched.block / one.block).toFixed(2)}x`);
  world.close();

  // --- sending ---
  const sink = await startSmtpSink(0, { parse: false });
  const sendWorld = openWorld({ env: { SMTP_URL: sink.url } });
  const { outbox, emailTemplates, mailer } = sendWorld.services;
  const sample = emailTemplates.sample('digest');
  const emails = Array.from({ length: DIGESTS }, (_, i) => ({
    dedupeKey: `bench:${i}`,
    kind: 'digest',
    to: `p${i}@example.org`,
    ...emailTemplates.render('digest', { ...sample, name: `Person ${i}` }),
  }));

  // Baseline: the same transport settings and concurrency (5 connections, 5 in flight), no outbox.
  const direct = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: 5 });
  const sendDirect = async (list: typeof emails) => {
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const e = list[next++];
        await direct.sendMail({ from: mailer.from, to: e.to, subject: e.subject, text: e.text, html: e.html });
      }
    };
    await Promise.all(Array.from({ length: 5 }, worker));
  };
  await sendDirect(emails.slice(0, 20)); // open the connections first
  let t0 = process.hrtime.bigint();
  await sendDirect(emails);
  const baseSend = ms(t0);
  direct.close();
  sink.received.length = 0;

  t0 = process.hrtime.bigint();
  await sendWorld.db.transaction(async () => {
    for (const e of emails) await outbox.enqueue(e);
  });
  const result = await outbox.flush();
  const send = ms(t0);
  console.log(`send ${DIGESTS} digests through the outbox to smtp-server: ${f(send)} (target < 10000 ms: ${send < 10_000 ? 'ok' : 'SLOW'}); ` +
    `baseline pooled nodemailer without outbox ${f(baseSend)}; ratio ${(send / baseSend).toFixed(1)}x; sent ${result.sent}, received ${sink.received.length}`);
  mailer.close();
  sendWorld.close();
  await sink.close();
}
