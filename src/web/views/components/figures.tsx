/** @jsxImportSource hono/jsx */
/**
 * The counts at the head of a detail page (host, image, source package): what needs action first
 * (security, then upgrades), then what is installed. A figure with a link leads to the rows it counts.
 */
import type { Child } from 'hono/jsx';

export interface Figure {
  kind: 'security' | 'upgrade' | 'installed';
  value: number;
  label: string;
  href?: string;
  title?: string;
}

/** A row of figures, and anything else the page puts beside them (the kernel). */
export function Figures(props: { figures: Figure[]; children?: Child }) {
  return (
    <div class="figures">
      {props.figures.map((figure) => {
        const body = (
          <>
            <strong>{figure.value}</strong> <span>{figure.label}</span>
          </>
        );
        return (
          <div
            class={`figure figure-${figure.value > 0 ? figure.kind : 'zero'}`}
            data-figure={figure.kind}
            title={figure.title}
          >
            {figure.href ? <a href={figure.href}>{body}</a> : body}
          </div>
        );
      })}
      {props.children}
    </div>
  );
}
