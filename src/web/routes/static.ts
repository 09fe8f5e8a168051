/** `/static/<name>.<hash>.<ext>`: embedded assets, cached for a year (the hash changes with the content). */
import { Hono } from 'hono';
import { allowAnyone } from '../access/rules.tsx';
import { findAsset } from '../assets.ts';
import type { AppEnv } from '../env.ts';

export const staticRoutes = new Hono<AppEnv>().get('/static/:file', allowAnyone, (c) => {
  const asset = findAsset(c.req.path);
  if (!asset) return c.text('Not found', 404);
  const headers: Record<string, string> = {
    'Content-Type': asset.contentType,
    'Cache-Control': 'public, max-age=31536000, immutable',
    ETag: asset.etag,
    Vary: 'Accept-Encoding',
  };
  const ifNoneMatch = c.req.header('If-None-Match') ?? '';
  if (ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag)) {
    return c.body(null, 304, headers);
  }
  if (/\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) {
    return c.body(asset.gzipped, 200, { ...headers, 'Content-Encoding': 'gzip' });
  }
  return c.body(asset.body, 200, headers);
});
