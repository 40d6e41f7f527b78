// 同步 page: enrolment (code + county address, or an enrolment file), USB sync (export batch files
// to a folder, import the county's reply file), what the county sent, and conflicts to check.
import { CloudSyncOutlined, ExportOutlined, ImportOutlined, LinkOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Col, Descriptions, Form, Input, List, Progress, Row, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import type { EnrolResult, ExportResult, ReplyResult } from '../../../api/syncSchemas';
import { api } from '../api';
import { PageTitle } from '../components/PageTitle';
import { dateTime, formatBytes } from '../format';
import { feedback, showError, showSuccess } from '../notify';
import { useSession } from '../session';
import { ConflictList } from './SyncStatusBar';
import { useSyncStatus } from './useSyncStatus';

export function SyncPage() {
  const { status, reload } = useSyncStatus();
  const [busy, setBusy] = useState(false);

  async function syncNow() {
    setBusy(true);
    try {
      const r = await api.syncNow({});
      showSuccess(r.message);
    } catch (e) {
      showError(e, '同步未完成');
    } finally {
      setBusy(false);
      await reload();
    }
  }

  return (
    <div>
      <PageTitle
        title="与县里同步"
        extra={
          status?.enrolled && status.url ? (
            <Button type="primary" icon={<CloudSyncOutlined />} loading={busy || status.running} onClick={() => void syncNow()}>
              立即同步
            </Button>
          ) : null
        }
      />
      {status && (
        <Card size="small" title="同步状态" style={{ marginBottom: 12 }}>
          {status.enrolled ? (
            <Descriptions
              size="small"
              column={2}
              items={[
                { key: 'county', label: '登记在', children: `${status.countyName}（${status.countyCode}）` },
                {
                  key: 'online',
                  label: '网络',
                  children: (
                    <Badge
                      status={status.online === null ? 'default' : status.online ? 'success' : 'error'}
                      text={status.url ? (status.online === null ? '尚未连接' : status.online ? '已连接县里' : '未连接县里') : '没有设置县级服务地址（用 U 盘同步）'}
                    />
                  ),
                },
                { key: 'last', label: '上次成功同步', children: status.lastSuccessAt ? dateTime(status.lastSuccessAt) : '从未' },
                { key: 'waiting', label: '待同步', children: `${status.waiting} 条变更` },
                { key: 'next', label: '下次自动同步', children: status.nextAttemptAt ? dateTime(status.nextAttemptAt) : '—' },
                { key: 'fp', label: '本机指纹 / 县级指纹', children: `${status.deviceFingerprint} / ${status.countyFingerprint}` },
              ]}
            />
          ) : (
            <Alert type="info" showIcon message="本机尚未登记到县政务服务中心。请用县里给的登记码（有网络）或登记文件（没有网络）完成登记。" />
          )}
          {status.progress && status.progress.total > 0 && (
            <div style={{ marginTop: 8 }}>
              <div>{status.progress.phase === 'download' ? '正在从县里下载本代办点的记录（中断后下次同步会接着下载）' : '正在上传变更'}</div>
              <Progress percent={Math.floor((status.progress.done / status.progress.total) * 100)} format={() => `${status.progress!.done} / ${status.progress!.total}`} />
            </div>
          )}
          {!status.progress && status.pointRecords && !status.pointRecords.complete && status.pointRecords.total > 0 && (
            <div style={{ marginTop: 8 }}>
              <div>本代办点的记录尚未从县里下载完，同步时会接着下载：</div>
              <Progress
                status="normal"
                percent={Math.floor((status.pointRecords.done / status.pointRecords.total) * 100)}
                format={() => `${status.pointRecords!.done} / ${status.pointRecords!.total}`}
              />
            </div>
          )}
          {status.awaitingConfirmation && (
            <Alert style={{ marginTop: 8 }} type="warning" showIcon message="已按登记文件登记。把第一批同步文件交到县里导入、再导入县里的回执后，登记即告完成。" />
          )}
          {status.lastError && <Alert style={{ marginTop: 8 }} type="error" showIcon message={status.lastError} />}
        </Card>
      )}
      <Row gutter={12}>
        <Col span={12}>
          <EnrolCard enrolled={!!status?.enrolled} onDone={reload} />
        </Col>
        <Col span={12}>
          <UsbCard enrolled={!!status?.enrolled} onDone={reload} />
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Card size="small" title="县里发来的更新" style={{ marginBottom: 12 }}>
            <List
              size="small"
              locale={{ emptyText: '暂无' }}
              dataSource={status?.recentDownstream ?? []}
              renderItem={(r) => (
                <List.Item key={r.id}>
                  {dateTime(r.appliedAt)}{'\u3000'}{r.summary}
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" style={{ marginBottom: 12 }}>
            <ConflictList onChanged={reload} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function showEnrolled(r: EnrolResult) {
  feedback().modal.success({
    title: '登记完成',
    width: 560,
    content: (
      <div>
        <p>{r.message}</p>
        <p>
          事项目录：{r.catalogVersion}（{r.catalogItems} 项）；节假日安排：{r.holidayYears.join('、')} 年
          {r.dueDatesChanged ? `；${r.dueDatesChanged} 件在办件的承诺办结日期已更新` : ''}
        </p>
        <p className="text-muted">
          本机指纹 {r.deviceFingerprint}；县级指纹 {r.countyFingerprint}（可与县里电话核对）
        </p>
      </div>
    ),
    okText: '知道了',
  });
}

function EnrolCard({ enrolled, onDone }: { enrolled: boolean; onDone: () => Promise<void> }) {
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [codeForm] = Form.useForm<{ url: string; code: string }>();
  const [filePath, setFilePath] = useState('');

  async function run(fn: () => Promise<EnrolResult>) {
    setBusy(true);
    try {
      showEnrolled(await fn());
      await refresh();
      await onDone();
    } catch (e) {
      showError(e, '登记未完成');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title={enrolled ? '重新登记（更换县级服务地址或换机）' : '登记到县里'} style={{ marginBottom: 12 }}>
      <Tabs
        items={[
          {
            key: 'code',
            label: '用登记码（有网络）',
            children: (
              <Form form={codeForm} layout="vertical" onFinish={(v) => void run(() => api.enrolWithCode({ url: v.url.trim(), code: v.code.trim() }))}>
                <Form.Item name="url" label="县级服务地址" rules={[{ required: true, message: '请填写县里给的地址，如 http://10.1.2.3:8787' }]}>
                  <Input prefix={<LinkOutlined />} placeholder="http://…" autoComplete="off" />
                </Form.Item>
                <Form.Item name="code" label="一次性登记码" rules={[{ required: true, message: '请填写登记码' }]}>
                  <Input placeholder="如 7KQ2-M9XD-R4TB-W8HC" autoComplete="off" style={{ fontFamily: 'monospace' }} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>
                  登记
                </Button>
              </Form>
            ),
          },
          {
            key: 'file',
            label: '用登记文件（没有网络）',
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text>登记文件由县政务服务中心生成，通过 U 盘带到本机。请填写文件的完整路径：</Typography.Text>
                <Input value={filePath} onChange={(e) => setFilePath(e.target.value)} placeholder="如 E:\daiban-enrol-150822101201.enrol" />
                <Button type="primary" loading={busy} disabled={!filePath.trim()} onClick={() => void run(() => api.enrolWithFile({ path: filePath.trim() }))}>
                  按文件登记
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function UsbCard({ enrolled, onDone }: { enrolled: boolean; onDone: () => Promise<void> }) {
  const [dir, setDir] = useState('');
  const [replyPath, setReplyPath] = useState('');
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [exported, setExported] = useState<ExportResult | null>(null);
  const [imported, setImported] = useState<ReplyResult | null>(null);

  async function doExport() {
    setBusy('export');
    try {
      const r = await api.exportBatches({ dir: dir.trim() });
      setExported(r);
      showSuccess(r.message);
      await onDone();
    } catch (e) {
      showError(e, '导出未完成');
    } finally {
      setBusy(null);
    }
  }
  async function doImport() {
    setBusy('import');
    try {
      const r = await api.importReply({ path: replyPath.trim() });
      setImported(r);
      showSuccess(r.message);
      await onDone();
    } catch (e) {
      showError(e, '回执未能导入');
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card size="small" title="U 盘同步（没有网络时）" style={{ marginBottom: 12 }}>
      {!enrolled && <Alert type="info" showIcon message="登记到县里之后才能导出同步文件。" style={{ marginBottom: 8 }} />}
      <Typography.Text strong>1. 导出待同步的变更</Typography.Text>
      <Space.Compact style={{ width: '100%', margin: '6px 0 8px' }}>
        <Input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="U 盘上的文件夹，如 E:\代办通同步" disabled={!enrolled} />
        <Button icon={<ExportOutlined />} loading={busy === 'export'} disabled={!enrolled || !dir.trim()} onClick={() => void doExport()}>
          导出
        </Button>
      </Space.Compact>
      {exported && exported.files.length > 0 && (
        <List
          size="small"
          dataSource={exported.files}
          renderItem={(f) => (
            <List.Item key={f.path} style={{ wordBreak: 'break-all', fontSize: 14 }}>
              {f.path}（第 {f.fromSeq}–{f.toSeq} 条，{formatBytes(f.bytes)}）
            </List.Item>
          )}
        />
      )}
      <Typography.Paragraph className="text-muted" style={{ fontSize: 14 }}>
        县里确认收到之前，本机的变更不会删除；重复导出、重复导入都不会重复记录。
      </Typography.Paragraph>
      <Typography.Text strong>2. 导入县里的回执文件</Typography.Text>
      <Space.Compact style={{ width: '100%', margin: '6px 0 8px' }}>
        <Input value={replyPath} onChange={(e) => setReplyPath(e.target.value)} placeholder="回执文件路径，如 E:\reply-150822101201.reply" disabled={!enrolled} />
        <Button icon={<ImportOutlined />} loading={busy === 'import'} disabled={!enrolled || !replyPath.trim()} onClick={() => void doImport()}>
          导入
        </Button>
      </Space.Compact>
      {imported && (
        <Alert
          type={imported.warnings.length ? 'warning' : 'success'}
          showIcon
          message={imported.message}
          description={
            imported.applied.length || imported.warnings.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {imported.applied.map((a) => (
                  <li key={a.id}>{a.summary}</li>
                ))}
                {imported.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
    </Card>
  );
}
