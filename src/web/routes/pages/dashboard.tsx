/** @jsxImportSource hono/jsx */
/** `GET /`: the dashboard. */
import { Hono } from 'hono';
import { isInventoryEmpty, readDashboard } from '../../../store/read/dashboard.ts';
import { readFleetHealth } from '../../../store/read/fleet-health.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { cutoffsAt } from '../../fleet/liveness-settings.ts';
import { readClock, renderPage } from '../../render.tsx';
import { DashboardPage } from '../../views/pages/dashboard.tsx';

export const dashboardRoutes = new Hono<AppEnv>().get('/', requireSignIn, async (c) => {
  const database = c.var.database;
  const clock = readClock(c);
  const { config } = c.var;
  const expected = config.EXPECTED_HOSTS_FILE ? await c.var.expectedHosts.names() : null;
  const [data, inventoryEmpty, fleet] = await Promise.all([
    readDashboard(c.var.store),
    isInventoryEmpty(database),
    readFleetHealth(database, cutoffsAt(config, clock.now), expected),
  ]);
  return renderPage(
    c,
    { title: 'DebMonitor', subtitle: 'Debian packages tracker' },
    <DashboardPage data={data} clock={clock} inventoryEmpty={inventoryEmpty} fleet={fleet} />,
  );
});
