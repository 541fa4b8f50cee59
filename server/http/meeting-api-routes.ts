import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { DateShape, DateString, Flag, IdParam, QueryInt, QueryString } from './route-helpers.js';
import { readMinutesBody, warnIfUnformattable } from './upload-input.js';
import { parseWith } from './validate.js';
import { PageQueryFields, setPageHeaders } from './pagination.js';

export const MeetingListQuery = z.object({
  series: QueryString(64),
  from: QueryString(10).pipe(DateString.optional()),
  to: QueryString(10).pipe(DateString.optional()),
  q: QueryString(500),
  ...PageQueryFields,
  offset: QueryInt(0, 1e9),
});

const UploadQuery = z.object({
  series: QueryString(64),
  date: QueryString(10).pipe(DateShape.optional()), // the import service names an impossible date (bad-date)
  filename: QueryString(255),
  dry_run: Flag,
});

/** What `meetingApiRoutes` uses of the services. */
export type MeetingApiDeps = Pick<Services, 'imports' | 'outbox' | 'search' | 'minutesRenderer'>;

/** `/api/meetings`: upload minutes (or preview with `dry_run=1`), list, one. */
export function meetingApiRoutes(services: MeetingApiDeps): Router {
  const r = Router();

  r.post('/api/meetings', requireRole('notetaker'), readMinutesBody, async (req, res) => {
    const q = parseWith(UploadQuery, req.query);
    const { text, filename, corrections } = req.minutes!;
    const result = await services.imports.importText(text, {
      series: q.series ?? null,
      date: q.date ?? null,
      filename: q.filename ?? filename,
      dryRun: q.dry_run,
      uploadedBy: req.user!.name,
      source: req.authMethod === 'token' ? 'api' : 'web',
      corrections,
    });
    if (!q.dry_run) services.outbox.kick();
    await warnIfUnformattable(services.minutesRenderer, text, result);
    res.status(result.status === 'new' && !q.dry_run ? 201 : 200).json(result);
  });

  r.get('/api/meetings', requireRole('member'), async (req, res) => {
    const q = parseWith(MeetingListQuery, req.query);
    const page = await services.search.meetingPage(q);
    setPageHeaders(req, res, page);
    res.json({ meetings: page.items, total: page.total, next: page.next });
  });

  r.get('/api/meetings/:id', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    res.json(await services.search.meeting(id));
  });

  return r;
}
