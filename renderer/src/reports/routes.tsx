// The 打印与统计 pages, registered in the menu through renderer/src/extraRoutes.tsx. Both are
// lazy-loaded so ECharts and the print preview cost nothing until they are opened.
import { BarChartOutlined, PrinterOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';

const StatisticsPage = lazy(() => import('./StatisticsPage').then((m) => ({ default: m.StatisticsPage })));
const PrintsPage = lazy(() => import('./PrintsPage').then((m) => ({ default: m.PrintsPage })));

const wait = (node: ReactNode) => <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>{node}</Suspense>;

export const reportRoutes = [
  { path: '/statistics', label: '统计', element: wait(<StatisticsPage />), icon: <BarChartOutlined /> },
  { path: '/prints', label: '打印台账', element: wait(<PrintsPage />), icon: <PrinterOutlined /> },
];
