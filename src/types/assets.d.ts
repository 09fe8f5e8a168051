/** Files imported `with { type: 'text' }` (SQL migrations, CSS) are embedded as strings by Bun. */
declare module '*.sql' {
  const text: string;
  export default text;
}
