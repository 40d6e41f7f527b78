// Entry for the 同步 module's page: loaded on demand, so the frame does not carry it.
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';

const Page = lazy(() => import('./SyncPage').then((m) => ({ default: m.SyncPage })));

export function SyncRoute() {
  return (
    <Suspense fallback={<Spin style={{ margin: 40 }} />}>
      <Page />
    </Suspense>
  );
}

export { SyncStatusBar } from './SyncStatusBar';
