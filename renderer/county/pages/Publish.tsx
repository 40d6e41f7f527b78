// 发布: the county's service catalog (items, materials, 承诺时限, 可容缺, fees, departments), edited here
// and published as a new signed version; the official holiday table uploaded as a file, checked (a full
// year, real dates, 调休 days on weekends) and published; and which version each point has confirmed.
// Both go down to every point in the signed reply; nothing is sent until 发布 is pressed.
import { CloudUploadOutlined, DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { holidayTablesFromJson, type HolidayTable } from '../../../domain/workCalendar';
import { focusFirstField } from '../../src/components/modalFocus';
import { PageTitle } from '../../src/components/PageTitle';
import { dateTime } from '../../src/format';
import { errorText, feedback, showError, showSuccess } from '../../src/notify';
import { call, type CatalogDraft, type CatalogItemDraft, type PublishedVersions } from '../api';

/**
 * Asks before publishing, in a dialog made afresh each time: a publish that failed (a version already
 * used, an incomplete holiday table) is usually corrected and tried again at once, and a Popconfirm
 * reopened while it is still closing can stay stuck in its opening animation, not taking clicks.
 */
function confirmPublish(title: string, content: string, publish: () => Promise<void>): void {
  feedback().modal.confirm({ title, content, okText: '发布', cancelText: '取消', onOk: () => publish() });
}

export function PublishPage() {
  const [versions, setVersions] = useState<PublishedVersions | null>(null);
  const loadVersions = useCallback(async () => {
    try {
      setVersions(await call('publishedVersions', {}));
    } catch (e) {
      showError(e, '读取发布情况失败');
    }
  }, []);
  useEffect(() => {
    void loadVersions();
  }, [loadVersions]);

  return (
    <div>
      <PageTitle title="发布" />
      <Tabs
        items={[
          { key: 'catalog', label: '事项目录', children: <CatalogEditor onPublished={loadVersions} /> },
          { key: 'holidays', label: '节假日安排', children: <HolidayUpload versions={versions} onPublished={loadVersions} /> },
          { key: 'points', label: '各代办点版本', children: <PointVersions versions={versions} reload={loadVersions} /> },
        ]}
      />
    </div>
  );
}

/** "2026.3" → "2026.4", "demo-2026.1" → "demo-2026.2"; otherwise the version with "-新". */
function nextVersion(v: string): string {
  const m = /^(.*?)(\d+)$/.exec(v);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${v}-新`;
}

const EMPTY_ITEM: CatalogItemDraft = { code: '', name: '', department: '', category: '', decidedAt: '', committedWorkdays: 5, fee: 0, pauseOnWait: false, materials: [], keywords: [], active: true };

function ItemModal({
  item,
  departments,
  existingCodes,
  onSave,
  onClose,
}: {
  item: { index: number | null; value: CatalogItemDraft } | null;
  departments: string[];
  existingCodes: Set<string>;
  onSave: (v: CatalogItemDraft) => void;
  onClose: () => void;
}) {
  const [form] = Form.useForm<CatalogItemDraft>();
  async function ok() {
    const v = await form.validateFields();
    onSave({ ...item!.value, ...v, code: v.code.trim(), name: v.name.trim(), department: (v.department ?? '').trim(), materials: (v.materials ?? []).map((m) => ({ ...m, name: m.name.trim(), form: m.form ?? '' })) });
  }
  return (
    <Modal
      open={!!item}
      title={item?.index === null ? '新增事项' : `编辑事项：${item?.value.name ?? ''}`}
      okText="确定"
      cancelText="取消"
      onOk={() => void ok()}
      onCancel={onClose}
      width={860}
      destroyOnHidden
      afterOpenChange={focusFirstField}
    >
      {item && (
        <Form form={form} layout="vertical" initialValues={item.value} preserve={false} requiredMark={false}>
          <Space align="start" wrap>
            <Form.Item
              label="事项编码"
              name="code"
              rules={[
                { required: true, whitespace: true, message: '请填写事项编码' },
                { pattern: /^\s*[A-Za-z0-9_-]{1,40}\s*$/, message: '只能用字母、数字、短横线和下划线' },
                { validator: (_r, v: string) => (v && existingCodes.has(v.trim()) ? Promise.reject(new Error('这个编码已被其他事项使用')) : Promise.resolve()) },
              ]}
            >
              <Input style={{ width: 150 }} maxLength={40} id="item-code" />
            </Form.Item>
            <Form.Item label="事项名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写事项名称' }]}>
              <Input style={{ width: 360 }} maxLength={100} id="item-name" />
            </Form.Item>
            <Form.Item label="承办部门" name="department">
              <AutoComplete style={{ width: 220 }} options={departments.map((d) => ({ value: d }))} filterOption={(i, o) => (o?.value ?? '').includes(i)} id="item-department" />
            </Form.Item>
          </Space>
          <Space align="start" wrap>
            <Form.Item label="承诺时限（工作日，0 为即办）" name="committedWorkdays" rules={[{ required: true, type: 'number', min: 0, max: 1000, message: '请填写 0–1000 的整数' }]}>
              <InputNumber min={0} max={1000} precision={0} style={{ width: 200 }} id="item-days" />
            </Form.Item>
            <Form.Item label="收费（元，不收费填 0）" name="fee" rules={[{ required: true, type: 'number', min: 0, message: '请填写不小于 0 的金额' }]}>
              <InputNumber min={0} precision={2} style={{ width: 170 }} id="item-fee" />
            </Form.Item>
          </Space>
          <div style={{ fontWeight: 600, marginBottom: 6 }}>材料清单</div>
          <Form.List name="materials">
            {(fields, { add, remove }) => (
              <div>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" style={{ display: 'flex', marginBottom: 2 }} wrap>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写材料名称' }]} style={{ marginBottom: 6 }}>
                      <Input placeholder="材料名称" style={{ width: 300 }} maxLength={60} aria-label="材料名称" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'form']} style={{ marginBottom: 6 }}>
                      <AutoComplete placeholder="形式" style={{ width: 130 }} options={['原件', '复印件', '原件及复印件'].map((v) => ({ value: v }))} aria-label="材料形式" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'copies']} style={{ marginBottom: 6 }}>
                      <InputNumber min={0} max={99} precision={0} addonAfter="份" style={{ width: 100 }} aria-label="份数" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} valuePropName="checked" style={{ marginBottom: 6 }}>
                      <Checkbox>必需</Checkbox>
                    </Form.Item>
                    <Form.Item name={[f.name, 'deferrable']} valuePropName="checked" style={{ marginBottom: 6 }}>
                      <Checkbox>可容缺</Checkbox>
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除这项材料" />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ name: '', form: '原件', copies: 1, required: true, deferrable: false })} data-testid="add-material">
                  添加材料
                </Button>
              </div>
            )}
          </Form.List>
        </Form>
      )}
    </Modal>
  );
}

function CatalogEditor({ onPublished }: { onPublished: () => Promise<void> }) {
  const [current, setCurrent] = useState<{ version: string; publishedAt: string } | null>(null);
  const [draft, setDraft] = useState<CatalogItemDraft[]>([]);
  const [changed, setChanged] = useState(0);
  const [version, setVersion] = useState('');
  const [editing, setEditing] = useState<{ index: number | null; value: CatalogItemDraft } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [q, setQ] = useState('');

  const load = useCallback(async () => {
    try {
      const c = await call('currentCatalog', {});
      setCurrent({ version: c.version, publishedAt: c.publishedAt });
      setDraft(c.catalog.items);
      setVersion(nextVersion(c.version));
      setChanged(0);
      setError(null);
    } catch (e) {
      showError(e, '读取事项目录失败');
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const departments = useMemo(() => [...new Set(draft.map((i) => i.department).filter(Boolean))].sort(), [draft]);
  const shown = draft.map((it, index) => ({ it, index })).filter(({ it }) => !q || it.name.includes(q) || it.code.includes(q) || it.department.includes(q));

  function save(v: CatalogItemDraft) {
    setDraft((d) => (editing?.index === null ? [...d, v] : d.map((x, i) => (i === editing!.index ? v : x))));
    setChanged((n) => n + 1);
    setEditing(null);
  }

  async function publish() {
    setBusy(true);
    setError(null);
    try {
      const catalog: CatalogDraft = { version: version.trim(), items: draft };
      const r = await call('publishCatalog', { catalog });
      showSuccess(`已发布事项目录 ${r.version}（${r.items} 项），代办点下次同步时收到`);
      await Promise.all([load(), onPublished()]);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const columns: ColumnsType<{ it: CatalogItemDraft; index: number }> = [
    { title: '编码', width: 100, render: (_: unknown, r) => <span style={{ fontFamily: 'Consolas, monospace' }}>{r.it.code}</span> },
    { title: '事项名称', render: (_: unknown, r) => r.it.name },
    { title: '承办部门', width: 150, render: (_: unknown, r) => r.it.department || <span className="text-muted">—</span> },
    { title: '承诺时限', width: 96, align: 'right', render: (_: unknown, r) => (r.it.committedWorkdays === 0 ? '即办' : `${r.it.committedWorkdays} 个工作日`) },
    { title: '收费', width: 80, align: 'right', render: (_: unknown, r) => (r.it.fee ? `${r.it.fee} 元` : '不收费') },
    {
      title: '材料',
      width: 130,
      render: (_: unknown, r) => (
        <span className="nowrap">
          {r.it.materials.length} 项{r.it.materials.some((m) => m.deferrable) ? <Tag style={{ marginInlineStart: 4 }}>可容缺 {r.it.materials.filter((m) => m.deferrable).length}</Tag> : null}
        </span>
      ),
    },
    {
      title: '',
      width: 150,
      render: (_: unknown, r) => (
        <Space size={4}>
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ index: r.index, value: r.it })} data-testid={`edit-item-${r.it.code}`}>
            编辑
          </Button>
          <Popconfirm
            title={`从新版本中删除“${r.it.name}”？`}
            description="已受理的代办件不受影响。"
            okText="删除"
            cancelText="取消"
            onConfirm={() => {
              setDraft((d) => d.filter((_x, i) => i !== r.index));
              setChanged((n) => n + 1);
            }}
          >
            <Button size="small" danger icon={<DeleteOutlined />} aria-label="删除" />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const otherCodes = new Set(draft.filter((_x, i) => i !== editing?.index).map((x) => x.code));

  return (
    <div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size="middle">
          <span>
            现行版本：<b data-testid="catalog-version">{current?.version ?? '—'}</b>
            {current && <span className="text-muted">（{dateTime(current.publishedAt)} 发布，{draft.length} 项）</span>}
          </span>
          {changed > 0 && <Tag color="orange" data-testid="catalog-changed">已修改 {changed} 处，尚未发布</Tag>}
        </Space>
        <div style={{ marginTop: 10, display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
          <span>新版本号</span>
          <Input value={version} onChange={(e) => setVersion(e.target.value)} style={{ width: 180 }} maxLength={40} aria-label="新版本号" id="catalog-version-input" />
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            loading={busy}
            disabled={changed === 0}
            data-testid="publish-catalog"
            onClick={() =>
              confirmPublish(
                `发布事项目录 ${version.trim() || '（未填版本号）'}？`,
                '发布后随县里的签名回执下发到每个代办点；代办点在办件的承诺办结日期按新时限重算。',
                publish,
              )
            }
          >
            发布新版本
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} disabled={busy}>
            放弃修改
          </Button>
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ index: null, value: { ...EMPTY_ITEM, materials: [] } })} data-testid="add-item">
            新增事项
          </Button>
          <Input.Search placeholder="按名称、编码、部门查找" allowClear value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} aria-label="查找事项" />
        </div>
        {error && <Alert type="error" showIcon message="没有发布" description={error} style={{ marginTop: 10 }} data-testid="catalog-error" />}
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table rowKey={(r) => `${r.index}`} size="small" columns={columns} dataSource={shown} pagination={{ pageSize: 10, showSizeChanger: false }} data-testid="catalog-items" />
      </Card>
      <ItemModal item={editing} departments={departments} existingCodes={otherCodes} onSave={save} onClose={() => setEditing(null)} />
    </div>
  );
}

type Parsed = { fileName: string; json: unknown; tables: HolidayTable[] };

function HolidayUpload({ versions, onPublished }: { versions: PublishedVersions | null; onPublished: () => Promise<void> }) {
  const input = useRef<HTMLInputElement>(null);
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function pick(file: File | undefined) {
    setParsed(null);
    setError(null);
    if (!file) return;
    if (file.size > 1024 * 1024) {
      setError(`文件“${file.name}”太大（超过 1 MB），不是节假日安排文件`);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      setError(`文件“${file.name}”不是有效的 JSON 文件。节假日安排应为 JSON 格式（与程序自带的 holidays-cn.json 相同）`);
      return;
    }
    try {
      setParsed({ fileName: file.name, json, tables: holidayTablesFromJson(json) });
    } catch (e) {
      setError(`文件“${file.name}”有误：${errorText(e)}`);
    }
  }

  async function publish() {
    if (!parsed) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('publishHolidays', { tables: parsed.json });
      showSuccess(`已发布 ${r.years.join('、')} 年节假日安排${r.dueChanged ? `，${r.dueChanged} 件在办件的承诺办结日期已重算` : ''}`);
      setParsed(null);
      if (input.current) input.current.value = '';
      await onPublished();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ maxWidth: 980 }}>
      <Card size="small" title="现有的节假日安排" style={{ marginBottom: 12 }}>
        <Table
          rowKey="year"
          size="small"
          pagination={false}
          dataSource={versions?.holidayYears ?? []}
          data-testid="holiday-years"
          columns={[
            { title: '年份', dataIndex: 'year', width: 80 },
            { title: '依据', dataIndex: 'source' },
            { title: '更新时间', dataIndex: 'receivedAt', width: 160, render: (v: string) => dateTime(v) },
          ]}
        />
      </Card>
      <Card size="small" title="上传新的节假日安排">
        <p className="text-muted" style={{ marginTop: 0 }}>
          按国务院办公厅每年的放假通知整理的 JSON 文件（格式同程序自带的 holidays-cn.json）。发布前检查：每年须是全年安排（元旦、春节、清明、劳动节、端午、中秋、国庆），日期真实且属于该年，调休上班日必须是周六或周日。
        </p>
        <input ref={input} type="file" accept=".json,application/json" onChange={(e) => void pick(e.target.files?.[0])} style={{ display: 'none' }} data-testid="holiday-file" />
        <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
          选择文件
        </Button>
        {error && <Alert type="error" showIcon message="不能发布" description={error} style={{ marginTop: 12 }} data-testid="holiday-error" />}
        {parsed && (
          <div style={{ marginTop: 12 }} data-testid="holiday-preview">
            <Descriptions size="small" bordered column={1} title={`${parsed.fileName}：${parsed.tables.length} 个年份`}>
              {parsed.tables.map((t) => (
                <Descriptions.Item key={t.year} label={`${t.year} 年`}>
                  放假 {t.off.length} 天，调休上班 {t.work.length} 天（{t.work.join('、') || '无'}）
                  <div className="text-muted">{t.source}</div>
                </Descriptions.Item>
              ))}
            </Descriptions>
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              loading={busy}
              style={{ marginTop: 12 }}
              data-testid="publish-holidays"
              onClick={() => confirmPublish('发布这份节假日安排？', '下发到每个代办点；在办件的承诺办结日期按新日历重算。', publish)}
            >
              发布节假日安排
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}

function PointVersions({ versions, reload }: { versions: PublishedVersions | null; reload: () => Promise<void> }) {
  type P = PublishedVersions['points'][number];
  const columns: ColumnsType<P> = [
    { title: '乡镇', dataIndex: 'townshipName', width: 120 },
    { title: '代办点（村）', dataIndex: 'villageName', width: 140 },
    { title: '事项目录版本', dataIndex: 'catalogVersion', width: 160, render: (v: string | null) => v ?? <span className="text-muted">未登记电脑</span> },
    { title: '节假日安排', dataIndex: 'holidayYears', render: (v: number[]) => (v.length ? `${v.join('、')} 年` : <span className="text-muted">—</span>) },
    {
      title: '状态',
      dataIndex: 'upToDate',
      width: 140,
      render: (v: boolean, r) => (r.catalogVersion === null ? <Tag>未登记</Tag> : v ? <Tag color="green">已是最新</Tag> : <Tag color="orange">等待同步</Tag>),
    },
  ];
  const latest = versions?.catalog[0];
  return (
    <div>
      <Space style={{ marginBottom: 8 }} wrap>
        <span>
          最新事项目录：<b>{latest ? `${latest.version}（${latest.items} 项，${dateTime(latest.publishedAt)}）` : '—'}</b>
        </span>
        <Button icon={<ReloadOutlined />} size="small" onClick={() => void reload()}>
          刷新
        </Button>
      </Space>
      <p className="text-muted" style={{ marginTop: 0 }}>
        “已是最新”表示代办点的电脑已确认收到县里发布的全部目录和节假日安排；“等待同步”的代办点在下次同步或导入回执文件后更新。
      </p>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<P> rowKey="code" size="small" columns={columns} dataSource={versions?.points ?? []} pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }} data-testid="point-versions" />
      </Card>
    </div>
  );
}
