// A tiny hash router: "#/cases/abc?x=1" → path "/cases/abc", query {x: "1"}. Links are real <a href>,
// so they work with Tab + Enter and with the browser's back button.
import { useEffect, useState, type AnchorHTMLAttributes, type ReactNode } from 'react';

export type Location = { path: string; query: URLSearchParams };

function read(): Location {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?', 2);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState<Location>(read);
  useEffect(() => {
    const on = () => setLoc(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return loc;
}

export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const target = href(path);
  if (opts.replace) {
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (window.location.hash !== target) {
    window.location.hash = path;
  }
}

/** Matches "/cases/:id" against "/cases/42" → { id: "42" }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const a = path.split('/').filter(Boolean);
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return null;
  }
  return params;
}

export type Route = { pattern: string; render: (params: Record<string, string>, loc: Location) => ReactNode };

export function Routes({ routes, loc, fallback }: { routes: Route[]; loc: Location; fallback: ReactNode }) {
  for (const r of routes) {
    const params = matchPath(r.pattern, loc.path);
    if (params) return <>{r.render(params, loc)}</>;
  }
  return <>{fallback}</>;
}

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a href={href(to)} {...rest}>
      {children}
    </a>
  );
}
