/** @jsxImportSource hono/jsx */
/** `GET /`: the dashboard. */
import { Hono } from 'hono';
import { isInventoryEmpty, readDashboard } from '../../../store/read/dashboard.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { readClock, renderPage } from '../../render.tsx';
import { DashboardPage } from '../../views/pages/dashboard.tsx';

export const dashboardRoutes = new Hono<AppEnv>().get('/', requireSignIn, async (c) => {
  const database = c.var.database;
  const [data, inventoryEmpty] = await Promise.all([readDashboard(c.var.store), isInventoryEmpty(database)]);
  return renderPage(
    c,
    { title: 'DebMonitor', subtitle: 'Debian packages tracker' },
    <DashboardPage data={data} clock={readClock(c)} inventoryEmpty={inventoryEmpty} />,
  );
});
