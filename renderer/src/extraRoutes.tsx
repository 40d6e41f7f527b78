// Extension point for other modules (e.g. 打印与统计, 同步): each entry adds a left-menu item and a
// page at `#/<path>`. The layout renders them between 来访登记 and 设置, in this order.
import type { ReactNode } from 'react';
import { CloudSyncOutlined } from '@ant-design/icons';
import { SyncRoute } from './sync/index';
import { reportRoutes } from './reports/routes';

export type ExtraRoute = {
  /** Route path without the leading "#", e.g. "/reports". Sub-paths ("/reports/...") are routed here too. */
  path: string;
  /** Menu label in Simplified Chinese, e.g. "打印与统计". */
  label: string;
  element: ReactNode;
  icon?: ReactNode;
};

export const extraRoutes: ExtraRoute[] = [
  ...reportRoutes,
  { path: '/sync', label: '同步', element: <SyncRoute />, icon: <CloudSyncOutlined /> },
];
