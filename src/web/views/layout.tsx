/** @jsxImportSource hono/jsx */
/** The one page layout: navigation, search box, signed-in user, footer. Pure function of props. */
import type { Child } from 'hono/jsx';
import { UserMenu } from './user-menu.tsx';

export interface LayoutProps {
  /** Page title; the document title becomes `<title> - DebMonitor`. */
  title: string;
  subtitle?: string;
  /** Navigation section to highlight: `hosts`, `kernels`, `packages`, `source-packages`, `images`, `kubernetes`. */
  section?: string;
  user?: { username: string; isSuperuser: boolean } | null;
  /** CSRF token for the logout form. */
  csrfToken?: string;
  searchMinLength?: number;
  children?: Child;
}

/** Wraps a page body in the site layout. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title ? `${props.title} - DebMonitor` : 'DebMonitor'}</title>
      </head>
      <body>
        <header>
          <a href="/">DebMonitor</a>
          <UserMenu user={props.user} csrfToken={props.csrfToken} />
        </header>
        <main>
          <h2>
            {props.title}
            {props.subtitle ? <small> - {props.subtitle}</small> : null}
          </h2>
          {props.children}
        </main>
      </body>
    </html>
  );
}
