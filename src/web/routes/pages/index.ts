/** Every HTML page (GET and HEAD), the static assets and the exports. */
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { exportRoutes } from '../exports.ts';
import { staticRoutes } from '../static.ts';
import { cveRoutes } from './cves.tsx';
import { dashboardRoutes } from './dashboard.tsx';
import { historyRoutes } from './history.tsx';
import { inventoryRoutes } from './inventory.tsx';
import { kernelRoutes } from './kernels.tsx';
import { kubernetesRoutes } from './kubernetes.tsx';
import { packageRoutes } from './packages.tsx';
import { searchRoutes } from './search.tsx';
import { sourcePackageRoutes } from './source-packages.tsx';

export { createUnmatchedHandler, renderServerError } from './not-found.tsx';

export const pageRoutes = new Hono<AppEnv>()
  .route('/', staticRoutes)
  .route('/', dashboardRoutes)
  .route('/', searchRoutes)
  .route('/', inventoryRoutes)
  .route('/', kernelRoutes)
  .route('/', packageRoutes)
  .route('/', sourcePackageRoutes)
  .route('/', kubernetesRoutes)
  .route('/', historyRoutes)
  .route('/', cveRoutes)
  .route('/', exportRoutes);
