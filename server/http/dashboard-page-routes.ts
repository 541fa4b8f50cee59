import { Router } from 'express';
import type { Services } from '../container.js';
import type { ActionView } from '../services/actions/action-service.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { renderPage } from './render.js';
import { mayChangeFor } from './route-helpers.js';
import { unresolvedPanel } from './people-page-routes.js';
import { groupByOwner, NO_OWNER_KEY } from '../../domain/owner-groups.js';

interface OwnerGroup {
  key: string;
  name: string;
  personId: number | null;
  email: string | null;
  overdue: number;
  actions: ActionView[];
}

/** Overdue first, then by due date (none last), then oldest first. */
const byUrgency = (a: ActionView, b: ActionView) =>
  Number(b.overdue) - Number(a.overdue) || (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.id - b.id;

/**
 * Dashboard cards: open actions grouped by owner (`domain/owner-groups.ts`: an action with two
 * owners shows under both; one without owners under "No owner", key `none`, last). Owners
 * with overdue actions come first.
 */
export function dashboardGroups(actions: ActionView[]): OwnerGroup[] {
  const groups: OwnerGroup[] = groupByOwner(actions, (a) => a.owners).map((g) => ({
    key: g.key,
    name: g.owner?.name ?? 'No owner',
    personId: g.owner?.personId ?? null,
    email: g.owner?.email ?? null,
    overdue: g.items.filter((a) => a.overdue).length,
    actions: [...g.items].sort(byUrgency),
  }));
  // "No owner" is not an owner: it goes after everyone, whatever its size.
  return groups.sort(
    (x, y) => Number(x.key === NO_OWNER_KEY) - Number(y.key === NO_OWNER_KEY) || y.overdue - x.overdue || y.actions.length - x.actions.length || x.name.localeCompare(y.name),
  );
}

/** Owner cards on the dashboard (the rest: /actions). */
const DASHBOARD_OWNERS = 24;
/** Entries of the dashboard's side lists (the rest: /people). */
const DASHBOARD_LIST = 12;

/** What `dashboardPageRoutes` uses of the services. */
export type DashboardPageDeps = Pick<Services, 'actions' | 'outbox' | 'reminders' | 'people' | 'review'>;

/** `/`: the dashboard. */
export function dashboardPageRoutes(services: DashboardPageDeps): Router {
  const r = Router();
  r.get('/', requireRole('member'), (req, res) => {
    // Every open action (not a first page): the counts on the cards are totals.
    const open = services.actions.listAll({ status: 'open' });
    const groups = dashboardGroups(open);
    // A summary, not the whole list: the most urgent owners, then "No owner"; the rest on /actions.
    const owners = groups.filter((g) => g.key !== NO_OWNER_KEY);
    const shown = [...owners.slice(0, DASHBOARD_OWNERS), ...groups.filter((g) => g.key === NO_OWNER_KEY)];
    const panel = unresolvedPanel(services, req);
    const staff = hasRole(req.user, 'notetaker');
    const mayChange = mayChangeFor(req);
    const personId = req.user?.personId ?? null;
    renderPage(res, 'dashboard', {
      title: 'Dashboard',
      moreOwners: Math.max(0, owners.length - DASHBOARD_OWNERS),
      groups: shown.map((g) => ({ ...g, actions: g.actions.map((a) => ({ ...a, mayChange: mayChange(a) })) })),
      totals: { open: open.length, overdue: open.filter((a) => a.overdue).length },
      // The reminder service's list (people, groups and unresolved names): the same owners the
      // reminder pass skips, so the dashboard and the agenda never disagree.
      withoutEmail: services.reminders.ownersWithoutEmail(),
      listMax: DASHBOARD_LIST * 2,
      ...panel,
      unresolvedShown: panel.unresolved.slice(0, DASHBOARD_LIST),
      failedMail: staff ? services.outbox.listFailed(20) : [],
      mayRetry: hasRole(req.user, 'admin'),
      toReview: services.review.count(),
      mine: personId != null ? open.filter((a) => a.owners.some((o) => o.personId === personId)).length : 0,
    });
  });
  return r;
}
