import { Router } from 'express';
import type { Services } from '../container.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { renderPage } from './render.js';
import { unresolvedPanel } from './people-page-routes.js';

/** Owner cards on the dashboard (the rest: /actions). */
const DASHBOARD_OWNERS = 24;
/** Actions shown on one owner card (the rest: /actions?owner=). */
const CARD_ACTIONS = 8;
/** Entries of the dashboard's side lists (the rest: /people). */
const DASHBOARD_LIST = 12;

/** What `dashboardPageRoutes` uses of the services. */
export type DashboardPageDeps = Pick<Services, 'actions' | 'outbox' | 'reminders' | 'people' | 'review'>;

/** `/`: the dashboard. */
export function dashboardPageRoutes(services: DashboardPageDeps): Router {
  const r = Router();
  r.get('/', requireRole('member'), async (req, res) => {
    // Counts per owner come from SQL aggregates (totals over every open action, tested past
    // 5,000); only the cards shown read their most urgent actions.
    const summary = await services.actions.ownerSummary({ owners: DASHBOARD_OWNERS, perOwner: CARD_ACTIONS });
    const panel = await unresolvedPanel(services, req);
    const staff = hasRole(req.user, 'notetaker');
    const personId = req.user?.personId ?? null;
    renderPage(res, 'dashboard', {
      title: 'Dashboard',
      moreOwners: summary.moreOwners,
      groups: summary.cards,
      totals: summary.totals,
      // The reminder service's list (people, groups and unresolved names): the same owners the
      // reminder pass skips, so the dashboard and the agenda never disagree.
      withoutEmail: await services.reminders.ownersWithoutEmail(),
      listMax: DASHBOARD_LIST * 2,
      ...panel,
      unresolvedShown: panel.unresolved.slice(0, DASHBOARD_LIST),
      failedMail: staff ? await services.outbox.listFailed(20) : [],
      mayRetry: hasRole(req.user, 'admin'),
      toReview: await services.review.count(),
      mine: personId != null ? (summary.openByPerson.get(personId) ?? 0) : 0,
    });
  });
  return r;
}
