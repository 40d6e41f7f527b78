// The signed-in village app: the routes (react-router, hash history) inside the shared frame, with the
// header (unit name, agent, 切换/锁屏) and the sync status bar.
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
import { Button, Result, Space, Tooltip } from 'antd';
import { lazy, useEffect, useRef } from 'react';
import type { RouteObject } from 'react-router';
import { AppFrame, type NavEntry } from './components/AppFrame';
import { NotFound } from './components/NotFound';
import { createAppRouter, navigate, RouterProvider, useParams, useRoute } from './components/routing';
import { SyncStatusBar } from './sync/SyncStatusBar';
import { extraRoutes } from './extraRoutes';
import { deleteDraft, draftPrompt, loadDraft, moveLegacyDrafts, type DraftKind } from './drafts';
import { feedback } from './notify';
import { useSession } from './session';
import { TodayPage } from './pages/Today';

const IntakePage = lazy(() => import('./pages/Intake').then((m) => ({ default: m.IntakePage })));
const CasesPage = lazy(() => import('./pages/Cases').then((m) => ({ default: m.CasesPage })));
const CaseDetailPage = lazy(() => import('./pages/CaseDetail').then((m) => ({ default: m.CaseDetailPage })));
const VisitsPage = lazy(() => import('./pages/Visits').then((m) => ({ default: m.VisitsPage })));
const VisitFormPage = lazy(() => import('./pages/VisitForm').then((m) => ({ default: m.VisitFormPage })));
const VisitDetailPage = lazy(() => import('./pages/VisitDetail').then((m) => ({ default: m.VisitDetailPage })));
const SettingsPage = lazy(() => import('./pages/Settings').then((m) => ({ default: m.SettingsPage })));

const NAV: NavEntry[] = [
  { path: '/today', label: '今日', icon: <CalendarOutlined /> },
  { path: '/intake', label: '受理登记', icon: <FileAddOutlined /> },
  { path: '/cases', label: '代办件', icon: <FolderOpenOutlined /> },
  { path: '/visits', label: '来访登记', icon: <TeamOutlined /> },
  ...extraRoutes.map((r) => ({ path: r.path, label: r.label, icon: r.icon ?? <FolderOpenOutlined /> })),
  { path: '/settings', label: '设置', icon: <SettingOutlined /> },
];

function IntakeRoute() {
  const { query } = useRoute();
  const visit = query.get('visit') ?? undefined;
  return <IntakePage key={visit ?? 'new'} visitId={visit} restore={query.get('restore') === '1'} />;
}

function CaseDetailRoute() {
  const id = useParams().id ?? '';
  return <CaseDetailPage key={id} id={id} />;
}

function VisitFormRoute() {
  return <VisitFormPage restore={useRoute().query.get('restore') === '1'} />;
}

function VisitDetailRoute() {
  const id = useParams().id ?? '';
  return <VisitDetailPage key={id} id={id} />;
}

/** A page that failed to render (or to load its code) says so in Chinese instead of a blank screen. */
function RouteError() {
  return (
    <Result
      status="error"
      title="页面出错了"
      subTitle="已填写的内容已自动保存为草稿。请点“重新加载”，如仍出错请联系县里的技术支持。"
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          重新加载
        </Button>
      }
    />
  );
}

const DRAFT_PATH: Record<DraftKind, string> = { intake: '/intake', visit: '/visits/new' };

function VillageFrame() {
  const { agent, point, lock, switchAgent } = useSession();
  const { path } = useRoute();
  const pathRef = useRef(path);
  pathRef.current = path;

  // On opening the app: offer back any unfinished form of this agent (unless that form is already open).
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      await moveLegacyDrafts(agent.id);
      for (const kind of ['intake', 'visit'] as DraftKind[]) {
        const d = await loadDraft(kind, agent.id);
        if (!d || cancelled) continue;
        if (pathRef.current === DRAFT_PATH[kind]) continue;
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

  return (
    <AppFrame
      brand="代办通"
      nav={NAV}
      footer={<SyncStatusBar />}
      footerLabel="同步状态"
      header={
        <>
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
        </>
      }
    />
  );
}

export const VILLAGE_ROUTES: RouteObject[] = [
  {
    path: '/',
    element: <VillageFrame />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <TodayPage /> },
          { path: 'today', element: <TodayPage /> },
          { path: 'intake', element: <IntakeRoute /> },
          { path: 'cases', element: <CasesPage /> },
          { path: 'cases/:id', element: <CaseDetailRoute /> },
          { path: 'visits', element: <VisitsPage /> },
          { path: 'visits/new', element: <VisitFormRoute /> },
          { path: 'visits/:id', element: <VisitDetailRoute /> },
          { path: 'settings', element: <SettingsPage /> },
          // Extra modules own their sub-paths ("/prints?…", "/statistics/…").
          ...extraRoutes.map((r) => ({ path: `${r.path.replace(/^\//, '')}/*`, element: r.element })),
          { path: '*', element: <NotFound home="/today" homeLabel="回到今日" /> },
        ],
      },
    ],
  },
];

// One router for the app's lifetime (created on first sign-in, kept across agent switches); the URL —
// the hash — survives a lock, an agent switch and a reload.
let villageRouter: ReturnType<typeof createAppRouter> | null = null;

export function Shell() {
  villageRouter ??= createAppRouter(VILLAGE_ROUTES);
  return <RouterProvider router={villageRouter} />;
}
