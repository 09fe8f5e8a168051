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
