/** @jsxImportSource hono/jsx */
/** A page that only says something: access refused, sign-in refused. */
import { Layout } from './layout.tsx';

export interface MessagePageProps {
  title: string;
  message: string;
  /** An optional link, for example back to the sign-in page. */
  link?: { href: string; label: string };
  user?: { username: string; isSuperuser: boolean } | null;
  csrfToken?: string;
}

/** Renders the message inside the layout. */
export function MessagePage(props: MessagePageProps) {
  return (
    <Layout title={props.title} user={props.user} csrfToken={props.csrfToken}>
      <p class="message">{props.message}</p>
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      ) : null}
    </Layout>
  );
}
