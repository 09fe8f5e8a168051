/** @jsxImportSource hono/jsx */
/** Error page bodies, shown inside the layout with an empty title. */

/** The 404 body. */
export function NotFoundPage() {
  return (
    <div class="empty">
      <h3>Page not found!</h3>
      <p>
        The page does not exist, or what it shows is gone. Try the <a href="/">dashboard</a> or the search
        box.
      </p>
    </div>
  );
}

/** The 500 body. */
export function ServerErrorPage() {
  return (
    <div class="empty">
      <h3>Looks like something went wrong!</h3>
      <p>The error was logged. Try again in a moment.</p>
    </div>
  );
}
