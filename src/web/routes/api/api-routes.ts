/**
 * The agent-facing API (docs/protocol.md); mounted before the HTML pages, which some of its routes fall
 * through to.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { authCheckRoutes } from './auth-check.ts';
import { certificateRoutes } from './certificates.ts';
import { hostApiRoutes } from './hosts.ts';
import { imageApiRoutes } from './images.ts';
import { kubernetesApiRoutes } from './kubernetes.ts';

export const apiRoutes = new Hono<AppEnv>()
  .route('/', authCheckRoutes)
  .route('/', certificateRoutes)
  .route('/', hostApiRoutes)
  .route('/', imageApiRoutes)
  .route('/', kubernetesApiRoutes);
