// The signed-in frame: left menu, header with the unit name and the agent, and the routed page.
import {
  CalendarOutlined,
  FileAddOutlined,
  FolderOpenOutlined,
  LockOutlined,
  SettingOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Spin, Tooltip } from 'antd';
import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { SyncStatusBar } from './sync/SyncStatusBar';
import { extraRoutes } from './extraRoutes';
import { deleteDraft, draftPrompt, loadDraft, type DraftKind } from './drafts';
import { feedback } from './notify';
import { href, navigate, Routes, useLocation, type Route } from './router';
import { useSession } from './session';
import { TodayPage } from './pages/Today';

const IntakePage = lazy(() => import('./pages/Intake').then((m) => ({ default: m.IntakePage })));
const CasesPage = lazy(() => import('./pages/Cases').then((m) => ({ default: m.CasesPage })));
const CaseDetailPage = lazy(() => import('./pages/CaseDetail').then((m) => ({ default: m.CaseDetailPage })));
const VisitsPage = lazy(() => import('./pages/Visits').then((m) => ({ default: m.VisitsPage })));
const VisitFormPage = lazy(() => import('./pages/VisitForm').then((m) => ({ default: m.VisitFormPage })));
const VisitDetailPage = lazy(() => import('./pages/VisitDetail').then((m) => ({ default: m.VisitDetailPage })));
const SettingsPage = lazy(() => import('./pages/Settings').then((m) => ({ default: m.SettingsPage })));

type MenuEntry = { key: string; label: string; icon: ReactNode; path: string };

const MENU: MenuEntry[] = [
  { key: '/today', label: '今日', icon: <CalendarOutlined />, path: '/today' },
  { key: '/intake', label: '受理登记', icon: <FileAddOutlined />, path: '/intake' },
  { key: '/cases', label: '代办件', icon: <FolderOpenOutlined />, path: '/cases' },
  { key: '/visits', label: '来访登记', icon: <TeamOutlined />, path: '/visits' },
  ...extraRoutes.map((r) => ({ key: r.path, label: r.label, icon: r.icon ?? <FolderOpenOutlined />, path: r.path })),
  { key: '/settings', label: '设置', icon: <SettingOutlined />, path: '/settings' },
];

function activeKey(path: string): string {
  const hit = MENU.filter((m) => path === m.path || path.startsWith(`${m.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
  return hit?.key ?? '/today';
}

const DRAFT_PATH: Record<DraftKind, string> = { intake: '/intake', visit: '/visits/new' };

export function Shell() {
  const { agent, point, lock, switchAgent } = useSession();
  const loc = useLocation();
  const mainRef = useRef<HTMLElement>(null);

  // On opening the app: offer back any unfinished form of this agent (unless that form is already open).
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      for (const kind of ['intake', 'visit'] as DraftKind[]) {
        const d = await loadDraft(kind, agent.id);
        if (!d || cancelled) continue;
        const here = window.location.hash.replace(/^#/, '').split('?')[0];
        if (here === DRAFT_PATH[kind]) continue;
        await new Promise<void>((resolve) => {
          feedback().modal.confirm({
            title: '恢复未完成的登记',
            content: draftPrompt(kind, d.savedAt),
            okText: '恢复',
            cancelText: '丢弃',
            closable: false,
            onOk: () => {
              navigate(`${DRAFT_PATH[kind]}?restore=1`);
              resolve();
            },
            onCancel: async () => {
              await deleteDraft(kind, agent.id);
              resolve();
            },
          });
        });
        break; // one prompt at a time; the other draft is offered when its form opens
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [agent.id]);

  // Move focus to the page when the route changes, so keyboard users start at the top of the new page.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [loc.path]);

  const routes: Route[] = [
    { pattern: '/', render: () => <TodayPage /> },
    { pattern: '/today', render: () => <TodayPage /> },
    { pattern: '/intake', render: (_p, l) => <IntakePage key={l.query.get('visit') ?? 'new'} visitId={l.query.get('visit') ?? undefined} restore={l.query.get('restore') === '1'} /> },
    { pattern: '/cases', render: () => <CasesPage /> },
    { pattern: '/cases/:id', render: (p) => <CaseDetailPage key={p.id} id={p.id} /> },
    { pattern: '/visits', render: () => <VisitsPage /> },
    { pattern: '/visits/new', render: (_p, l) => <VisitFormPage restore={l.query.get('restore') === '1'} /> },
    { pattern: '/visits/:id', render: (p) => <VisitDetailPage key={p.id} id={p.id} /> },
    { pattern: '/settings', render: () => <SettingsPage /> },
  ];
  const extra = extraRoutes.find((r) => loc.path === r.path || loc.path.startsWith(`${r.path}/`));

  return (
    <Layout className="app-layout">
      <a className="skip-link" href="#main-content" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        跳到主要内容
      </a>
      <Layout.Sider width={168} className="app-sider">
        <div className="app-brand">代办通</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[activeKey(loc.path)]}
          onClick={({ key }) => navigate(key)}
          items={MENU.map((m) => ({
            key: m.key,
            icon: m.icon,
            label: (
              <a href={href(m.path)} data-testid={`nav-${m.key.replace(/^\//, '')}`}>
                {m.label}
              </a>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="app-header">
          <div className="app-unit" title={point.unitName} data-testid="unit-name">
            {point.unitName}
          </div>
          <Space size="middle" style={{ flexShrink: 0 }}>
            <span data-testid="current-agent" className="nowrap">
              <UserOutlined /> 代办员：<b>{agent.name}</b>
            </span>
            <Button icon={<SwapOutlined />} onClick={switchAgent}>
              切换代办员
            </Button>
            <Tooltip title="离开电脑时锁屏，回来输入密码继续">
              <Button icon={<LockOutlined />} onClick={lock}>
                锁屏
              </Button>
            </Tooltip>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          <main id="main-content" ref={mainRef} tabIndex={-1} style={{ outline: 'none' }}>
            <Suspense
              fallback={
                <div style={{ padding: 48, textAlign: 'center' }}>
                  <Spin size="large" />
                </div>
              }
            >
              {extra ? (
                extra.element
              ) : (
                <Routes
                  routes={routes}
                  loc={loc}
                  fallback={
                    <Result
                      status="404"
                      title="没有这个页面"
                      extra={
                        <Button type="primary" href={href('/today')}>
                          回到今日
                        </Button>
                      }
                    />
                  }
                />
              )}
            </Suspense>
          </main>
        </Layout.Content>
        <Layout.Footer className="app-statusbar" role="status" aria-label="同步状态">
          <SyncStatusBar />
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
