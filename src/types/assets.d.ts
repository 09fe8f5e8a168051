/** Files imported `with { type: 'text' }` (SQL migrations, CSS) are embedded as strings by Bun. */
declare module '*.sql' {
  const text: string;
  export default text;
}

/** Deployment files (deploy/agent/*) embedded in the server for the agent page. */
declare module '*.conf' {
  const text: string;
  export default text;
}
declare module '*.service' {
  const text: string;
  export default text;
}
declare module '*.timer' {
  const text: string;
  export default text;
}
declare module '*.cron' {
  const text: string;
  export default text;
}
/** Stylesheets, icons and htmx, embedded by src/web/assets.ts. */
declare module '*.css' {
  const text: string;
  export default text;
}
declare module '*.svg' {
  const text: string;
  export default text;
}
declare module 'htmx.org/dist/htmx.min.js' {
  const text: string;
  export default text;
}
