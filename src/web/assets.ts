/**
 * Static assets, embedded in the binary (imported as text, so `bun build --compile` carries them)
 * and served at content-hashed URLs (`/static/<name>.<hash>.<ext>`) that never change meaning, so
 * browsers may cache them for a year. No CDN: the CSP allows scripts and styles from 'self' only.
 */
import htmxSource from 'htmx.org/dist/htmx.min.js' with { type: 'text' };
import mainCss from '../../public/css/main.css' with { type: 'text' };
import logoSvg from '../../public/icons/debmonitor.svg' with { type: 'text' };
import faviconSvg from '../../public/icons/favicon.svg' with { type: 'text' };

/** One embedded file with its hashed URL. */
export interface Asset {
  /** Logical name used by views: `htmx.js`, `main.css`, `debmonitor.svg`, `favicon.svg`. */
  name: string;
  url: string;
  contentType: string;
  body: string;
  gzipped: Uint8Array<ArrayBuffer>;
  etag: string;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

function createAsset(name: string, body: string): Asset {
  const hash = new Bun.CryptoHasher('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  const extension = name.slice(dot + 1);
  return {
    name,
    url: `/static/${name.slice(0, dot)}.${hash}.${extension}`,
    contentType: TYPES[extension] ?? 'application/octet-stream',
    body,
    gzipped: Bun.gzipSync(new TextEncoder().encode(body)) as Uint8Array<ArrayBuffer>,
    etag: `"${hash}"`,
  };
}

const assets = [
  createAsset('htmx.js', htmxSource),
  createAsset('main.css', mainCss),
  createAsset('debmonitor.svg', logoSvg),
  createAsset('favicon.svg', faviconSvg),
];
const byName = new Map(assets.map((asset) => [asset.name, asset]));
const byUrl = new Map(assets.map((asset) => [asset.url, asset]));

/** The hashed URL of an embedded asset, for views. */
export function assetUrl(name: 'htmx.js' | 'main.css' | 'debmonitor.svg' | 'favicon.svg'): string {
  return byName.get(name)!.url;
}

/** The asset served at `path`, or undefined. */
export function findAsset(path: string): Asset | undefined {
  return byUrl.get(path);
}

/** Every embedded asset. */
export function listAssets(): readonly Asset[] {
  return assets;
}
