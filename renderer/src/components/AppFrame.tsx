// The signed-in frame shared by the renderer apps: a left menu of routes, a header, the routed page
// (lazy pages load inside a Suspense), and a status footer. It lives under a react-router route
// (see components/routing.tsx); each app passes its own brand, menu, header and footer.
import { Layout, Menu, Spin } from 'antd';
import { Suspense, useEffect, useRef, type ReactNode } from 'react';
import { href, navigate, Outlet, useRoute } from './routing';

export type NavEntry = { path: string; label: string; icon?: ReactNode };

/** The menu entry a path belongs to: the longest entry path that is the path or a prefix of it. */
export function activeNavPath(entries: NavEntry[], path: string): string | undefined {
  return entries
    .filter((m) => path === m.path || path.startsWith(`${m.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
}

export function AppFrame({
  brand,
  nav,
  header,
  footer,
  footerLabel,
}: {
  brand: ReactNode;
  nav: NavEntry[];
  header: ReactNode;
  footer?: ReactNode;
  footerLabel?: string;
}) {
  const { path } = useRoute();
  const mainRef = useRef<HTMLElement>(null);

  // A new page starts at its top.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [path]);

  const selected = activeNavPath(nav, path) ?? nav[0]?.path;

  return (
    <Layout className="app-layout">
      <a className="skip-link" href="#main-content" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        跳到主要内容
      </a>
      <Layout.Sider width={168} className="app-sider">
        <div className="app-brand">{brand}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          onClick={({ key }) => navigate(key)}
          items={nav.map((m) => ({
            key: m.path,
            icon: m.icon,
            label: (
              <a href={href(m.path)} data-testid={`nav-${m.path.replace(/^\//, '')}`}>
                {m.label}
              </a>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="app-header">{header}</Layout.Header>
        <Layout.Content className="app-content">
          <main id="main-content" ref={mainRef} tabIndex={-1} style={{ outline: 'none' }}>
            <Suspense
              fallback={
                <div style={{ padding: 48, textAlign: 'center' }}>
                  <Spin size="large" />
                </div>
              }
            >
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
        {footer && (
          <Layout.Footer className="app-statusbar" role="status" aria-label={footerLabel}>
            {footer}
          </Layout.Footer>
        )}
      </Layout>
    </Layout>
  );
}
