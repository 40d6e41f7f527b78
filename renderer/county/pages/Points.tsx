// 代办点与设备: every point with its laptops; enrol a point (the one-time code shown large, the A4
// enrolment sheet with the code, the county address and a QR code as a PDF made by the county service
// from print/enrolSheet.ts, or the enrolment file for a USB stick); revoke a lost or replaced laptop.
import { FileProtectOutlined, KeyOutlined, PlusOutlined, PrinterOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Modal, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { focusFirstField } from '../../src/components/modalFocus';
import { PageTitle } from '../../src/components/PageTitle';
import { dateTime } from '../../src/format';
import { errorText, showError, showSuccess } from '../../src/notify';
import { call, download, fetchFile, saveFile, type DeviceRow, type EnrolTicket, type PointRow } from '../api';
import { useConsole } from '../session';

function TicketModal({ ticket, townshipName, onClose }: { ticket: EnrolTicket | null; townshipName: string; onClose: () => void }) {
  const [saving, setSaving] = useState(false);
  async function saveSheet() {
    if (!ticket) return;
    setSaving(true);
    try {
      const f = await fetchFile('printEnrolSheet', { pointCode: ticket.pointCode, code: ticket.code }, `代办点登记单-${ticket.villageName}.pdf`);
      saveFile(f);
      showSuccess(`已保存 ${f.fileName}，打开后打印`);
    } catch (e) {
      showError(e, '生成登记单失败');
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open={!!ticket}
      title={ticket ? `${townshipName}${ticket.villageName}：登记码` : ''}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>关闭</Button>
          <Button type="primary" icon={<PrinterOutlined />} loading={saving} onClick={() => void saveSheet()} data-testid="print-enrol-sheet">
            登记单（PDF）
          </Button>
        </Space>
      }
    >
      {ticket && (
        <div data-testid="enrol-ticket">
          <div className="enrol-code" data-testid="enrol-code">
            {ticket.code}
          </div>
          <div style={{ display: 'flex', gap: 16, alignItems: 'center' }}>
            <img src={ticket.qrDataUrl} alt="登记二维码" width={148} height={148} />
            <div style={{ fontSize: 16 }}>
              <div>
                县级中心地址：<b data-testid="enrol-url">{ticket.countyUrl}</b>
              </div>
              <div>有效期至：{dateTime(ticket.expiresAt)}</div>
              <div className="text-muted" style={{ fontSize: 14, marginTop: 6 }}>
                登记码只显示这一次、只能使用一次。请抄下、打印登记单，或关闭后改用“登记文件”。
              </div>
            </div>
          </div>
        </div>
      )}
    </Modal>
  );
}

export function PointsPage() {
  const { scope, refreshScope } = useConsole();
  const [points, setPoints] = useState<PointRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<string | null>(null);
  const [ticket, setTicket] = useState<{ t: EnrolTicket; township: string } | null>(null);
  const [revoking, setRevoking] = useState<(DeviceRow & { pointName: string }) | null>(null);
  const [reason, setReason] = useState('');
  const [form] = Form.useForm<{ code: string; villageName: string; townshipName: string }>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPoints(await call('listPoints', {}));
    } catch (e) {
      showError(e, '读取代办点失败');
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function issueCode(p: { code: string; villageName: string; townshipName: string }) {
    try {
      setTicket({ t: await call('createEnrolCode', { pointCode: p.code }), township: p.townshipName });
    } catch (e) {
      showError(e, '生成登记码失败');
    }
  }

  async function addPoint() {
    const v = await form.validateFields();
    setAddError(null);
    try {
      await call('upsertPoint', { code: v.code.trim(), villageName: v.villageName.trim(), townshipName: v.townshipName.trim() });
      setAdding(false);
      await Promise.all([load(), refreshScope()]);
      await issueCode({ code: v.code.trim(), villageName: v.villageName.trim(), townshipName: v.townshipName.trim() });
    } catch (e) {
      setAddError(errorText(e));
    }
  }

  async function revokeNow() {
    if (!revoking) return;
    if (!reason.trim()) {
      showError(new Error('请填写停用原因（如：电脑丢失、已更换）'));
      return;
    }
    try {
      await call('revokeDevice', { deviceId: revoking.id, reason: reason.trim() });
      showSuccess('已停用：这台电脑再发来的批次会被拒收');
      setRevoking(null);
      void load();
    } catch (e) {
      showError(e, '停用失败');
    }
  }

  const columns: ColumnsType<PointRow> = [
    { title: '乡镇', dataIndex: 'townshipName', width: 110 },
    { title: '代办点（村）', dataIndex: 'villageName', width: 130 },
    { title: '区划代码', dataIndex: 'code', width: 140, render: (v: string) => <span style={{ fontFamily: 'Consolas, monospace' }}>{v}</span> },
    { title: '设备', width: 110, render: (_: unknown, r) => <span className="nowrap">{r.devices} 台{r.revokedDevices ? <Tag style={{ marginInlineStart: 4 }}>停用 {r.revokedDevices}</Tag> : null}</span> },
    { title: '最近同步', dataIndex: 'lastSyncAt', width: 150, render: (v: string | null, r) => (r.silent ? <span className="text-danger">{v ? `${r.silentDays} 天未同步` : '从未同步'}</span> : dateTime(v)) },
    { title: '事项目录版本', dataIndex: 'catalogVersion', width: 120, render: (v: string | null) => v ?? <span className="text-muted">—</span> },
    {
      title: '',
      width: 230,
      render: (_: unknown, r) => (
        <Space>
          <Button size="small" icon={<KeyOutlined />} onClick={() => void issueCode(r)} data-testid={`enrol-code-${r.code}`}>
            登记码
          </Button>
          <Button
            size="small"
            icon={<FileProtectOutlined />}
            onClick={() => download('enrolFile', { pointCode: r.code }, `${r.code}.daiban-enrol`).then((n) => showSuccess(`已保存 ${n}`)).catch((e: unknown) => showError(e, '生成登记文件失败'))}
          >
            登记文件
          </Button>
        </Space>
      ),
    },
  ];

  const deviceColumns = (p: PointRow): ColumnsType<DeviceRow> => [
    { title: '设备', dataIndex: 'name', render: (v: string, d) => <span>{v || '未命名电脑'} <span className="text-muted" style={{ fontFamily: 'Consolas, monospace', fontSize: 13 }}>{d.fingerprint}</span></span> },
    { title: '登记', dataIndex: 'enrolledAt', width: 190, render: (v: string, d) => `${dateTime(v)}（${d.enrolledVia === 'code' ? '登记码' : d.enrolledVia === 'file' ? '登记文件' : d.enrolledVia}）` },
    { title: '最近联系', dataIndex: 'lastSeenAt', width: 150, render: (v: string | null) => dateTime(v) || '—' },
    { title: '已导入至', dataIndex: 'appliedThrough', width: 90, align: 'right' },
    { title: '时钟', dataIndex: 'clockSkewText', width: 110 },
    {
      title: '',
      width: 210,
      render: (_: unknown, d) =>
        d.revokedAt ? (
          <Tag color="default">已停用：{d.revokedReason}</Tag>
        ) : (
          <Button size="small" danger icon={<StopOutlined />} onClick={() => { setRevoking({ ...d, pointName: `${p.townshipName}${p.villageName}` }); setReason(''); }}>
            停用
          </Button>
        ),
    },
  ];

  return (
    <div>
      <PageTitle
        title="代办点与设备"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => { setAddError(null); setAdding(true); }} data-testid="add-point">
              新增代办点
            </Button>
          </>
        }
      >
        <span className="text-muted">{scope.county.name}，共 {points.length} 个代办点</span>
      </PageTitle>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<PointRow>
          rowKey="code"
          size="small"
          columns={columns}
          dataSource={points}
          loading={loading}
          data-testid="points"
          rowClassName={(r) => (r.silent ? 'row-silent' : '')}
          pagination={points.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          expandable={{
            expandedRowRender: (p) => <Table<DeviceRow> rowKey="id" size="small" pagination={false} columns={deviceColumns(p)} dataSource={p.deviceList} locale={{ emptyText: '还没有登记的电脑' }} />,
          }}
          locale={{ emptyText: '还没有代办点，点右上角“新增代办点”' }}
        />
      </Card>

      <Modal open={adding} title="新增代办点" okText="保存并生成登记码" cancelText="取消" onOk={() => void addPoint()} onCancel={() => setAdding(false)} afterOpenChange={focusFirstField} destroyOnHidden>
        {addError && <Alert type="error" showIcon message={addError} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
          <Form.Item
            label="村级统计用区划代码（12位）"
            name="code"
            rules={[
              { required: true, message: '请填写区划代码' },
              { pattern: /^\d{12}$/, message: '区划代码应为 12 位数字' },
              { validator: (_r, v: string) => (!v || v.startsWith(scope.county.code) ? Promise.resolve() : Promise.reject(new Error(`不是本县的代码：本县代码以 ${scope.county.code} 开头`))) },
            ]}
          >
            <Input maxLength={12} inputMode="numeric" id="point-code" />
          </Form.Item>
          <Form.Item label="乡镇（苏木）名称" name="townshipName" rules={[{ required: true, whitespace: true, message: '请填写乡镇名称' }]}>
            <Input maxLength={40} id="point-township" />
          </Form.Item>
          <Form.Item label="村（嘎查、社区）名称" name="villageName" rules={[{ required: true, whitespace: true, message: '请填写村名' }]}>
            <Input maxLength={40} id="point-village" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal open={!!revoking} title={`停用设备：${revoking?.pointName ?? ''} ${revoking?.name ?? ''}`} okText="停用" okButtonProps={{ danger: true }} cancelText="取消" onOk={() => void revokeNow()} onCancel={() => setRevoking(null)} destroyOnHidden>
        <p>停用后，这台电脑再发来的批次一律拒收。已导入的记录保留。</p>
        <Input.TextArea rows={2} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="停用原因（如：电脑丢失、已更换新电脑）" aria-label="停用原因" autoFocus />
      </Modal>

      <TicketModal ticket={ticket?.t ?? null} townshipName={ticket?.township ?? ''} onClose={() => setTicket(null)} />
    </div>
  );
}
