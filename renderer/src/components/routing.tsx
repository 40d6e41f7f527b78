// Routing for the renderer apps (village register, county console): react-router with hash history, so
// the same URLs work from file:// in Electron and from the loopback web shell ("#/cases/abc?x=1"), and a
// reload or a pasted link opens the same page. Links are real <a href>, so Tab + Enter and the back
// button work. `navigate()` is usable outside components (table-row handlers, modal callbacks).
import { useMemo } from 'react';
import { createHashRouter, useLocation, type RouteObject } from 'react-router';

export { Link, Outlet, useParams } from 'react-router';
export { RouterProvider } from 'react-router/dom';

type AppRouter = ReturnType<typeof createHashRouter>;

let active: AppRouter | null = null;

/** A hash router over these routes; it becomes the one `navigate()` drives. */
export function createAppRouter(routes: RouteObject[]): AppRouter {
  const router = createHashRouter(routes);
  active = router;
  return router;
}

/** The href of an in-app path, for antd Buttons and plain anchors: "/cases" → "#/cases". */
export function href(path: string): string {
  return `#${path}`;
}

/** Go to an in-app path ("/cases/42?x=1"); `replace` keeps the back button from returning here. */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (active) void active.navigate(path, { replace: opts.replace });
  else if (opts.replace) window.history.replaceState(null, '', href(path));
  else window.location.hash = path;
}

/** The current in-app path and its query, e.g. { path: "/cases", query: overdue=1 }. */
export function useRoute(): { path: string; query: URLSearchParams } {
  const loc = useLocation();
  return useMemo(() => ({ path: loc.pathname, query: new URLSearchParams(loc.search) }), [loc.pathname, loc.search]);
}
