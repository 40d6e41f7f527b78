// The console's pages on a react-router hash router (#/cases/…), each lazily loaded, each in the menu
// only for the roles that may use it (session.ts CAN). Paths match the village app's where the shared
// statistics pieces link to them (#/cases/:id).
import {
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  FolderOpenOutlined,
  LaptopOutlined,
  NotificationOutlined,
  PrinterOutlined,
  SwapOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type ReactNode } from 'react';
import { createHashRouter } from 'react-router';
import { Shell } from './Shell';
import type { Ability } from './session';

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

const OverviewPage = page(() => import('./pages/Overview').then((m) => ({ default: m.OverviewPage })));
const ImportPage = page(() => import('./pages/Import').then((m) => ({ default: m.ImportPage })));
const CasesPage = page(() => import('./pages/Cases').then((m) => ({ default: m.CasesPage })));
const CasePage = page(() => import('./pages/CasePage').then((m) => ({ default: m.CasePage })));
const SupervisionPage = page(() => import('./pages/Supervision').then((m) => ({ default: m.SupervisionPage })));
const StatisticsPage = page(() => import('./pages/Statistics').then((m) => ({ default: m.CountyStatisticsPage })));
const PrintsPage = page(() => import('./pages/Prints').then((m) => ({ default: m.CountyPrintsPage })));
const ConflictsPage = page(() => import('./pages/Conflicts').then((m) => ({ default: m.ConflictsPage })));
const AccountsPage = page(() => import('./pages/Accounts').then((m) => ({ default: m.AccountsPage })));
const EvaluationPage = page(() => import('./pages/Evaluation').then((m) => ({ default: m.EvaluationPage })));
const PublishPage = page(() => import('./pages/Publish').then((m) => ({ default: m.PublishPage })));
const PointsPage = page(() => import('./pages/Points').then((m) => ({ default: m.PointsPage })));

export type MenuEntry = { path: string; label: string; icon: ReactNode; ability: Ability; element: ReactNode };

/** In the order of the screens as a clerk works through a day. */
export const MENU: MenuEntry[] = [
  { path: '/overview', label: '总览', icon: <DashboardOutlined />, ability: 'overview', element: <OverviewPage /> },
  { path: '/import', label: '批次导入', icon: <CloudUploadOutlined />, ability: 'import', element: <ImportPage /> },
  { path: '/cases', label: '全县台账', icon: <FolderOpenOutlined />, ability: 'cases', element: <CasesPage /> },
  { path: '/supervision', label: '督办', icon: <AlertOutlined />, ability: 'supervise', element: <SupervisionPage /> },
  { path: '/conflicts', label: '冲突', icon: <SwapOutlined />, ability: 'conflicts', element: <ConflictsPage /> },
  { path: '/statistics', label: '统计', icon: <BarChartOutlined />, ability: 'statistics', element: <StatisticsPage /> },
  { path: '/evaluation', label: '考评与周报', icon: <TrophyOutlined />, ability: 'evaluation', element: <EvaluationPage /> },
  { path: '/prints', label: '打印', icon: <PrinterOutlined />, ability: 'prints', element: <PrintsPage /> },
  { path: '/points', label: '代办点与设备', icon: <LaptopOutlined />, ability: 'points', element: <PointsPage /> },
  { path: '/publish', label: '发布', icon: <NotificationOutlined />, ability: 'publish', element: <PublishPage /> },
  { path: '/accounts', label: '账号与审计', icon: <AuditOutlined />, ability: 'accounts', element: <AccountsPage /> },
];

export const router = createHashRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <OverviewPage /> },
      ...MENU.map((m) => ({ path: m.path.slice(1), element: m.element })),
      { path: 'cases/:id', element: <CasePage /> },
    ],
  },
]);
