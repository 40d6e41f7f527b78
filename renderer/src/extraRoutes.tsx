// Extension point for other modules (e.g. 打印与统计, 同步): each entry adds a left-menu item and a
// page at `#/<path>`. The layout renders them between 来访登记 and 设置, in this order.
import type { ReactNode } from 'react';
import type { CaseDetail } from '../../domain/records';
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

/**
 * Extra buttons on a case's detail page and on the intake result panel (e.g. 打印受理回执).
 * Each gets the case and returns a button (or null to show nothing for that case).
 */
export type CaseActionSlot = (c: CaseDetail, place: 'detail' | 'intakeResult') => ReactNode;
export const extraCaseActions: CaseActionSlot[] = [];
