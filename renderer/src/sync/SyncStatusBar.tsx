// The sync strip in the frame: online/offline to the county, last successful sync, changes waiting,
// 立即同步, a progress bar while a long upload runs, and a drawer with what the county sent and
// any conflicts. The lead mounts it in the layout; it needs no props.
import { CloudSyncOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, List, Progress, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { SyncConflict } from '../../../api/syncSchemas';
import { api } from '../api';
import { dateTime } from '../format';
import { showError, showInfo, showSuccess } from '../notify';
import { href } from '../components/routing';
import { useSyncStatus } from './useSyncStatus';

export function SyncStatusBar() {
  const { status, reload } = useSyncStatus();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);

  if (!status) return null;
  if (!status.enrolled) {
    return (
      <Space size={8} className="sync-status-bar" style={{ fontSize: 14 }}>
        <Badge status="default" />
        <span>未登记到县里</span>
        <a href={href('/sync')}>去登记</a>
      </Space>
    );
  }

  async function syncNow() {
    setBusy(true);
    try {
      const r = await api.syncNow({});
      if (r.conflicts) showInfo(r.message);
      else showSuccess(r.message);
    } catch (e) {
      showError(e, '同步未完成');
    } finally {
      setBusy(false);
      await reload();
    }
  }

  const online = status.online;
  const dot = online === null ? 'default' : online ? 'success' : 'error';
  const onlineText = online === null ? '尚未连接县里' : online ? '已连接县里' : '未连接县里';
  const p = status.progress;
  const news = status.recentDownstream.length;

  return (
    <>
      <Space size={12} className="sync-status-bar" style={{ fontSize: 14 }} wrap>
        <Tooltip title={status.lastError ?? (status.checkedAt ? `检查于 ${dateTime(status.checkedAt)}` : '')}>
          <span>
            <Badge status={dot} text={onlineText} />
          </span>
        </Tooltip>
        <span>上次同步：{status.lastSuccessAt ? dateTime(status.lastSuccessAt) : '从未'}</span>
        <span>
          待同步 <b>{status.waiting}</b> 条
        </span>
        {p && p.total > 0 && <Progress percent={Math.floor((p.done / p.total) * 100)} size="small" style={{ width: 140, margin: 0 }} aria-label="同步进度" />}
        <Button size="small" icon={<CloudSyncOutlined />} loading={busy || status.running} onClick={() => void syncNow()}>
          立即同步
        </Button>
        <a onClick={() => setOpen(true)} role="button" tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && setOpen(true)}>
          县里的更新{news ? `（${news}）` : ''}
        </a>
        {status.conflicts > 0 && (
          <Tag color="orange" icon={<ExclamationCircleOutlined />} style={{ cursor: 'pointer' }} onClick={() => setOpen(true)}>
            {status.conflicts} 处冲突待核对
          </Tag>
        )}
        {status.awaitingConfirmation && <Tag color="gold">等待县里确认本机</Tag>}
      </Space>
      <Drawer title="县里的更新与冲突" open={open} onClose={() => setOpen(false)} width={520} destroyOnHidden>
        <SyncNews recent={status.recentDownstream} />
        <ConflictList onChanged={reload} />
        <p style={{ marginTop: 16 }}>
          <a href={href('/sync')} onClick={() => setOpen(false)}>
            打开同步页面（登记、U 盘同步）
          </a>
        </p>
      </Drawer>
    </>
  );
}

function SyncNews({ recent }: { recent: { id: string; appliedAt: string; summary: string }[] }) {
  return (
    <>
      <Typography.Title level={5}>县里发来并已应用的更新</Typography.Title>
      {recent.length ? (
        <List size="small" dataSource={recent} renderItem={(r) => <List.Item key={r.id}>{dateTime(r.appliedAt)}{'\u3000'}{r.summary}</List.Item>} />
      ) : (
        <Empty description="暂无" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
    </>
  );
}

/** Open conflicts with both values; a person marks each as checked. Used by the drawer and the sync page. */
export function ConflictList({ onChanged }: { onChanged?: () => void | Promise<void> }) {
  const [rows, setRows] = useState<SyncConflict[] | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await api.listConflicts({}));
    } catch (e) {
      showError(e, '读取冲突记录失败');
      setRows([]);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function resolve(c: SyncConflict) {
    setBusyId(c.id);
    try {
      await api.resolveConflict({ id: c.id, note: '已核对' });
      await load();
      await onChanged?.();
    } catch (e) {
      showError(e);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        待核对的冲突
      </Typography.Title>
      {rows && rows.length ? (
        <List
          size="small"
          dataSource={rows}
          renderItem={(c) => (
            <List.Item
              key={c.id}
              actions={[
                <Button key="ok" size="small" loading={busyId === c.id} onClick={() => void resolve(c)}>
                  已核对
                </Button>,
              ]}
            >
              <div>
                <div>
                  {c.entityLabel} {c.caseNo ?? ''}：<b>{c.fieldLabel}</b>
                </div>
                <div style={{ fontSize: 14 }}>
                  本机：{c.localValue ?? '（空）'}{'\u3000'}县里：{c.remoteValue ?? '（空）'}{'\u3000'}现采用：
                  <Tag color={c.winner === 'local' ? 'blue' : 'purple'}>{c.winner === 'local' ? '本机' : '县里'}</Tag>
                </div>
                <div className="text-muted" style={{ fontSize: 13 }}>
                  {c.reason}{'\u3000'}{dateTime(c.detectedAt)}
                </div>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Empty description="没有待核对的冲突" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
    </>
  );
}
