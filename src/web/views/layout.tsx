/** @jsxImportSource hono/jsx */
/** The one page layout: navigation, search box, signed-in user, footer. Pure function of props. */
import type { Child } from 'hono/jsx';
import { assetUrl } from '../assets.ts';
import { UserMenu } from './user-menu.tsx';

export interface LayoutProps {
  /** Page title; the document title becomes `<title> - DebMonitor`. */
  title: string;
  subtitle?: string;
  /** Navigation section to highlight: `hosts`, `kernels`, `packages`, `source-packages`, `images`, `kubernetes`, `cves`. */
  section?: string;
  user?: { username: string; isSuperuser: boolean } | null;
  /** CSRF token for the logout form. */
  csrfToken?: string;
  searchMinLength?: number;
  /** The text already in the search box (the search page shows its query there). */
  searchQuery?: string;
  /**
   * Whether pages are open to visitors who have not signed in (REQUIRE_LOGIN off). When they are
   * not, an anonymous visitor's navigation is the sign-in link alone: every other link would lead
   * back to the sign-in form.
   */
  openToAnonymous?: boolean;
  children?: Child;
}

const SECTIONS: [id: string, label: string, href: string][] = [
  ['hosts', 'Hosts', '/hosts/'],
  ['kernels', 'Kernels', '/kernels/'],
  ['packages', 'Packages', '/packages/'],
  ['source-packages', 'Source Packages', '/source-packages/'],
  ['images', 'Images', '/images/'],
  ['kubernetes', 'Kubernetes', '/kubernetes/'],
  ['changes', 'Changes', '/changes/'],
  ['cves', 'CVEs', '/cves/'],
];

/** htmx settings: no injected indicator <style> (the CSP forbids inline styles) and no eval. */
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
});

/** Wraps a page body in the site layout. */
export function Layout(props: LayoutProps) {
  const minLength = props.searchMinLength ?? 3;
  const navigation = Boolean(props.user) || props.openToAnonymous === true;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title ? `${props.title} - DebMonitor` : 'DebMonitor'}</title>
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <link rel="stylesheet" href={assetUrl('main.css')} />
        <link rel="icon" type="image/svg+xml" href={assetUrl('favicon.svg')} />
        <script src={assetUrl('htmx.js')} defer />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">
            <img src={assetUrl('debmonitor.svg')} alt="" width="26" height="26" />
            DebMonitor
          </a>
          {navigation ? (
            <nav aria-label="Sections">
              <ul class="nav">
                {SECTIONS.map(([id, label, href]) => (
                  <li>
                    <a href={href} aria-current={props.section === id ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {/* No minlength: a short query goes to the search page, which says why it found nothing. */}
          {navigation ? (
            <form class="search-form" action="/search" method="get">
              <label class="sr-only" for="site-search">
                Search
              </label>
              <input
                id="site-search"
                type="search"
                name="q"
                value={props.searchQuery ?? ''}
                title={`At least ${minLength} characters.`}
                placeholder="Search hosts, packages, versions…"
              />
            </form>
          ) : null}
          <UserMenu user={props.user} csrfToken={props.csrfToken} />
        </header>
        <main>
          <h2 class="page-title">
            {props.title}
            {props.subtitle ? <small> - {props.subtitle}</small> : null}
          </h2>
          {props.children}
        </main>
        <footer class="footer">
          <a href="/">
            <img src={assetUrl('debmonitor.svg')} alt="DebMonitor" width="18" height="18" />
          </a>
          <span>DebMonitor on Bun, GPL-3.0-or-later, after Wikimedia's DebMonitor</span>
        </footer>
      </body>
    </html>
  );
}
