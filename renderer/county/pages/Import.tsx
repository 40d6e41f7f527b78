// 批次导入: drag the USB batch files of several points into the page; each uploads in turn with its own
// progress bar and ends with one Chinese result line. Below: the import log with filters, and the reply
// file a point's USB stick takes back down.
import { CloudUploadOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Progress, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useRef, useState, type DragEvent } from 'react';
import { PageTitle } from '../../src/components/PageTitle';
import { usePagedSearch } from '../../src/components/usePagedSearch';
import { dateTime, formatBytes } from '../../src/format';
import { errorText, showError, showSuccess } from '../../src/notify';
import { call, download, type ImportFileResult, type ImportLogRow } from '../api';
import { PointSelect } from '../components/ScopeSelect';

type Upload = { key: string; file: File; progress: number; state: 'waiting' | 'uploading' | 'done' | 'failed'; result?: ImportFileResult; error?: string };

type Result = ImportFileResult['result'];
const RESULT_TAGS: Record<Result, { color: string; label: string }> = {
  imported: { color: 'green', label: '已导入' },
  already: { color: 'default', label: '已导入过' },
  held: { color: 'orange', label: '暂存待补' },
  rejected: { color: 'red', label: '已拒收' },
};

/** Larger than any real batch a village makes; the server checks the real limit too. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

let uploadSeq = 0;

function ReplyFileButton({ pointCode, label = '生成回复文件' }: { pointCode: string | undefined; label?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<DownloadOutlined />}
      loading={busy}
      disabled={!pointCode}
      onClick={async () => {
        if (!pointCode) return;
        setBusy(true);
        try {
          const name = await download('replyFile', { pointCode }, `${pointCode}-reply.daiban`);
          showSuccess(`已生成 ${name}，请复制到该代办点的U盘`);
        } catch (e) {
          showError(e, '生成回复文件失败');
        } finally {
          setBusy(false);
        }
      }}
    >
      {label}
    </Button>
  );
}

export function ImportPage() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const [replyPoint, setReplyPoint] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [filters, setFilters] = useState<{ result?: Result; pointCode?: string; from?: string; to?: string; n: number }>({ n: 0 });
  const [page, setPage] = useState({ current: 1, pageSize: 20 });

  const patch = (key: string, p: Partial<Upload>) => setUploads((us) => us.map((u) => (u.key === key ? { ...u, ...p } : u)));

  function add(files: FileList | File[]) {
    const list = Array.from(files).map((file): Upload => ({ key: `u${++uploadSeq}`, file, progress: 0, state: 'waiting' }));
    if (!list.length) return;
    setUploads((us) => [...list, ...us]);
    for (const u of list) {
      // One file after another: the server imports batches in order anyway, and the log reads in order.
      queue.current = queue.current.then(async () => {
        if (u.file.size > MAX_FILE_BYTES) {
          patch(u.key, { state: 'failed', error: `文件太大（${formatBytes(u.file.size)}），不是代办通的同步批次文件` });
          return;
        }
        if (u.file.size === 0) {
          patch(u.key, { state: 'failed', error: '文件是空的，不是代办通的同步批次文件' });
          return;
        }
        patch(u.key, { state: 'uploading' });
        try {
          const result = await call('importBatch', {}, { file: u.file, fileName: u.file.name, onProgress: (f) => patch(u.key, { progress: Math.round(f * 100) }) });
          patch(u.key, { state: 'done', progress: 100, result });
        } catch (e) {
          patch(u.key, { state: 'failed', error: errorText(e) });
        }
        setFilters((f) => ({ ...f, n: f.n + 1 }));
      });
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    add(e.dataTransfer.files);
  };

  const { data, loading } = usePagedSearch(
    filters,
    page,
    (f, offset, limit) => call('importLog', { result: f.result, pointCode: f.pointCode, from: f.from, to: f.to, offset, limit }),
    '读取导入记录失败',
  );

  const columns: ColumnsType<ImportLogRow> = useMemo(
    () => [
      { title: '时间', dataIndex: 'at', width: 150, render: (v: string) => <span className="nowrap">{dateTime(v)}</span> },
      { title: '代办点', dataIndex: 'villageName', width: 120, ellipsis: true, render: (v: string | null, r) => v ?? r.pointCode ?? <span className="text-muted">未知</span> },
      { title: '方式', dataIndex: 'source', width: 76, render: (v: string) => (v === 'http' ? '网络' : v === 'file' || v === 'usb' || v === 'console' ? 'U盘文件' : v) },
      { title: '变更序号', width: 120, render: (_: unknown, r) => (r.fromSeq !== null ? <span className="nowrap">{r.fromSeq}–{r.toSeq}</span> : '—') },
      { title: '结果', dataIndex: 'result', width: 100, render: (v: Result) => <Tag color={RESULT_TAGS[v].color}>{RESULT_TAGS[v].label}</Tag> },
      { title: '导入条数', dataIndex: 'applied', width: 84, align: 'right' },
      { title: '说明', dataIndex: 'reason', ellipsis: { showTitle: true } },
      { title: '', width: 150, render: (_: unknown, r) => (r.pointCode ? <ReplyFileButton pointCode={r.pointCode} label="回复文件" /> : null) },
    ],
    [],
  );

  return (
    <div>
      <PageTitle title="批次导入" />
      <Card size="small" style={{ marginBottom: 12 }}>
        <div
          className={`dropzone${over ? ' over' : ''}`}
          role="button"
          tabIndex={0}
          data-testid="dropzone"
          onClick={() => input.current?.click()}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              input.current?.click();
            }
          }}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <InboxOutlined style={{ fontSize: 40, color: '#1d6fd8' }} />
          <div style={{ marginTop: 6 }}>
            把代办点U盘里的同步批次文件拖到这里，或 <a>点此选择文件</a>（可一次选多个）
          </div>
          <div className="text-muted" style={{ fontSize: 14 }}>
            每个文件单独校验签名和顺序：伪造、改动、截断或重复的批次会被拒收并说明原因，不会导入一半。
          </div>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            data-testid="batch-files"
            onChange={(e) => {
              if (e.target.files) add(e.target.files);
              e.target.value = '';
            }}
          />
        </div>
        {uploads.length > 0 && (
          <div style={{ marginTop: 12 }} data-testid="upload-list">
            {uploads.map((u) => (
              <div key={u.key} className="upload-row" data-testid="upload-row">
                <div className="upload-name" title={u.file.name}>
                  <CloudUploadOutlined /> {u.file.name} <span className="text-muted">（{formatBytes(u.file.size)}）</span>
                </div>
                <Progress
                  percent={u.progress}
                  size="small"
                  style={{ width: 160, margin: 0 }}
                  status={u.state === 'failed' || u.result?.result === 'rejected' ? 'exception' : u.state === 'done' ? 'success' : 'active'}
                />
                <div className="upload-result" data-testid="upload-result">
                  {u.state === 'waiting' && <span className="text-muted">排队中…</span>}
                  {u.state === 'uploading' && <span className="text-muted">正在上传并校验…</span>}
                  {u.state === 'done' && u.result && (
                    <span>
                      <Tag color={RESULT_TAGS[u.result.result].color}>{RESULT_TAGS[u.result.result].label}</Tag>
                      <span className={u.result.result === 'rejected' ? 'text-danger' : undefined}>{u.result.message}</span>
                    </span>
                  )}
                  {u.state === 'failed' && (
                    <span className="text-danger">
                      <Tag color="red">未导入</Tag>
                      {u.error}
                    </span>
                  )}
                </div>
              </div>
            ))}
          </div>
        )}
      </Card>

      <Card size="small" style={{ marginBottom: 12 }} title="给代办点的回复文件（县级决定、督办、事项目录、节假日表，带回村里导入）">
        <Space wrap>
          <PointSelect value={replyPoint} onChange={setReplyPoint} style={{ width: 280 }} />
          <ReplyFileButton pointCode={replyPoint} />
        </Space>
      </Card>

      <Card
        size="small"
        title="导入记录"
        styles={{ body: { padding: 0 } }}
        extra={
          <Space wrap>
            <Select<Result>
              aria-label="结果"
              allowClear
              placeholder="全部结果"
              style={{ width: 130 }}
              value={filters.result}
              onChange={(v) => {
                setFilters((f) => ({ ...f, result: v }));
                setPage((p) => ({ ...p, current: 1 }));
              }}
              options={(Object.keys(RESULT_TAGS) as Result[]).map((k) => ({ value: k, label: RESULT_TAGS[k].label }))}
            />
            <PointSelect
              value={filters.pointCode}
              onChange={(v) => {
                setFilters((f) => ({ ...f, pointCode: v }));
                setPage((p) => ({ ...p, current: 1 }));
              }}
              style={{ width: 220 }}
            />
            <DatePicker.RangePicker
              aria-label="导入日期"
              placeholder={['导入日期从', '到']}
              style={{ width: 260 }}
              allowEmpty={[true, true]}
              value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
              onChange={(r) => {
                setFilters((f) => ({ ...f, from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') }));
                setPage((p) => ({ ...p, current: 1 }));
              }}
            />
            <Button icon={<ReloadOutlined />} aria-label="刷新" onClick={() => setFilters((f) => ({ ...f, n: f.n + 1 }))} />
          </Space>
        }
      >
        <Table<ImportLogRow>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data.rows}
          loading={loading}
          data-testid="import-log"
          locale={{ emptyText: '没有导入记录' }}
          onChange={(p) => setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
          pagination={{ current: page.current, pageSize: page.pageSize, total: data.total, showTotal: (t) => `共 ${t} 条`, showSizeChanger: false, style: { padding: '0 12px' } }}
        />
      </Card>
    </div>
  );
}
