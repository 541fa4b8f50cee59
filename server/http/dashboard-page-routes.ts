import { Router } from 'express';
import type { Services } from '../container.js';
import type { ActionView } from '../services/actions/action-service.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { renderPage } from './render.js';
import { mayChangeFor } from './route-helpers.js';
import { unresolvedPanel } from './people-page-routes.js';

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
 * Groups open actions by owner (an action with two owners shows under both; one without
 * owners under "No owner", key `none`, last). Owners with overdue actions come first.
 */
export function groupByOwner(actions: ActionView[]): OwnerGroup[] {
  const groups = new Map<string, OwnerGroup>();
  // Actions nobody owns get their own group, so they do not vanish from the dashboard.
  const NOBODY = { personId: null, name: 'No owner', email: null };
  for (const a of actions) {
    for (const o of a.owners.length ? a.owners : [NOBODY]) {
      const key = o === NOBODY ? 'none' : o.personId != null ? `p${o.personId}` : `n${o.name.toLowerCase()}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, name: o.name, personId: o.personId, email: o.email, overdue: 0, actions: [] }));
      g.actions.push(a);
      if (a.overdue) g.overdue++;
    }
  }
  for (const g of groups.values()) g.actions.sort(byUrgency);
  // "No owner" is not an owner: it goes after everyone, whatever its size.
  return [...groups.values()].sort(
    (x, y) => Number(x.key === 'none') - Number(y.key === 'none') || y.overdue - x.overdue || y.actions.length - x.actions.length || x.name.localeCompare(y.name),
  );
}

/** Owner cards on the dashboard (the rest: /actions). */
const DASHBOARD_OWNERS = 24;
/** Entries of the dashboard's side lists (the rest: /people). */
const DASHBOARD_LIST = 12;

/** What `dashboardPageRoutes` uses of the services. */
export type DashboardPageDeps = Pick<Services, 'actions' | 'outbox' | 'reminders' | 'people'>;

/** `/`: the dashboard. */
export function dashboardPageRoutes(services: DashboardPageDeps): Router {
  const r = Router();
  r.get('/', requireRole('member'), (req, res) => {
    const open = services.actions.list({ status: 'open', limit: 5000 });
    const groups = groupByOwner(open);
    // A summary, not the whole list: the most urgent owners, then "No owner"; the rest on /actions.
    const owners = groups.filter((g) => g.key !== 'none');
    const shown = [...owners.slice(0, DASHBOARD_OWNERS), ...groups.filter((g) => g.key === 'none')];
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
      mine: personId != null ? open.filter((a) => a.owners.some((o) => o.personId === personId)).length : 0,
    });
  });
  return r;
}
