/** Files imported `with { type: 'text' }` (SQL migrations, CSS, SVG, htmx) are embedded as strings by Bun. */
declare module '*.sql' {
  const text: string;
  export default text;
}
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
