import { Link as RouterLink, createBrowserRouter, useLocation } from 'react-router';
import type { RouteObject } from 'react-router';
import type { AnchorHTMLAttributes, ReactNode } from 'react';

// Routing is React Router's (history API; the server answers index.html for every non-/api path).
// The routes are declared in app.tsx; this module gives the pages `Link`, `navigate` and `usePath`,
// so that no page depends on how the router is made.

let router: ReturnType<typeof createBrowserRouter> | null = null;

/** Creates the app's router (once, in main.tsx). */
export function createAppRouter(routes: RouteObject[]) {
  router = createBrowserRouter(routes);
  return router;
}

/**
 * Goes to an in-app path without reloading the page. With `replace`, the current history entry is
 * replaced (for redirects, so that Back does not return to a page that redirects again).
 */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (!router) throw new Error('navigate() before the router exists');
  const here = router.state.location;
  if (to === here.pathname + here.search) return;
  void router.navigate(to, { replace });
  window.scrollTo(0, 0);
}

/** The current path, re-rendering on navigation and on the browser's back/forward. */
export function usePath(): string {
  return useLocation().pathname;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  children: ReactNode;
  /** Also current on the paths below `to` (the Sites link on /sites/{id}). */
  section?: boolean;
};

/** An in-app link, marked `aria-current="page"` on its page; a modified click (new tab) is left to the browser. */
export function Link({ to, children, section = false, ...rest }: LinkProps) {
  const path = usePath();
  const target = to.split('?')[0]!;
  const current = path === target || (section && path.startsWith(`${target}/`));
  return (
    <RouterLink to={to} aria-current={current ? 'page' : undefined} {...rest}>
      {children}
    </RouterLink>
  );
}
