// 账号与审计: staff accounts (add, change role or township, disable, reset password → a one-time password
// shown once), and the audit of sign-ins, reveals, exports, decisions, 督办 and publications.
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { focusFirstField } from '../../src/components/modalFocus';
import { PageTitle } from '../../src/components/PageTitle';
import { usePagedSearch } from '../../src/components/usePagedSearch';
import { dateTime } from '../../src/format';
import { errorText, showError, showSuccess } from '../../src/notify';
import { AUDIT_KINDS, call, ROLES, type Account, type AuditKind, type AuditRow, type OneTimePassword, type Role } from '../api';
import { TownshipSelect } from '../components/ScopeSelect';
import { useConsole } from '../session';

type NewAccount = { name: string; displayName: string; role: Role; townshipCode?: string };

function OneTimePasswordModal({ otp, onClose }: { otp: OneTimePassword | null; onClose: () => void }) {
  return (
    <Modal open={!!otp} title="一次性密码" onCancel={onClose} footer={<Button type="primary" onClick={onClose}>已转交，关闭</Button>} destroyOnHidden>
      {otp && (
        <div data-testid="one-time-password">
          <p>
            登录名 <b>{otp.account.name}</b>（{otp.account.displayName || otp.account.name}，{ROLES[otp.account.role]}
            {otp.account.townshipName ? `，${otp.account.townshipName}` : ''}）
          </p>
          <div className="enrol-code" style={{ fontSize: 32 }}>
            {otp.password}
          </div>
          <Alert type="warning" showIcon message="此密码只显示这一次。请当面转交；首次登录时必须修改。" />
        </div>
      )}
    </Modal>
  );
}

function AccountsTab() {
  const { me } = useConsole();
  const [rows, setRows] = useState<Account[]>([]);
  const [loading, setLoading] = useState(false);
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<string | null>(null);
  const [otp, setOtp] = useState<OneTimePassword | null>(null);
  const [form] = Form.useForm<NewAccount>();
  const role = Form.useWatch('role', form);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('listAccounts', {}));
    } catch (e) {
      showError(e, '读取账号失败');
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function add() {
    const v = await form.validateFields();
    setAddError(null);
    try {
      const r = await call('createAccount', { name: v.name.trim(), displayName: v.displayName?.trim() ?? '', role: v.role, townshipCode: v.role === 'township' ? (v.townshipCode ?? null) : null });
      setAdding(false);
      setOtp(r);
      void load();
    } catch (e) {
      setAddError(errorText(e));
    }
  }

  async function update(a: Account, patch: { disabled?: boolean; role?: Role }) {
    try {
      await call('updateAccount', { id: a.id, ...patch });
      showSuccess('已保存');
      void load();
    } catch (e) {
      showError(e, '保存失败');
    }
  }

  async function reset(a: Account) {
    try {
      setOtp(await call('resetPassword', { id: a.id }));
      void load();
    } catch (e) {
      showError(e, '重置密码失败');
    }
  }

  const columns: ColumnsType<Account> = [
    { title: '登录名', dataIndex: 'name', width: 120 },
    { title: '姓名', dataIndex: 'displayName', width: 110 },
    { title: '角色', dataIndex: 'role', width: 130, render: (v: Role) => ROLES[v] },
    { title: '乡镇', dataIndex: 'townshipName', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: '状态',
      width: 150,
      render: (_: unknown, a) =>
        a.disabled ? <Tag>已停用</Tag> : a.lockedUntil && a.lockedUntil > new Date().toISOString() ? <Tag color="red">锁定至 {dateTime(a.lockedUntil).slice(11)}</Tag> : <Tag color="green">正常</Tag>,
    },
    { title: '最近登录', dataIndex: 'lastSignInAt', width: 150, render: (v: string | null) => dateTime(v) || '从未登录' },
    {
      title: '',
      render: (_: unknown, a) =>
        a.id === me.id ? (
          <span className="text-muted">当前账号</span>
        ) : (
          <Space>
            <Popconfirm title={`重置 ${a.name} 的密码？`} description="旧密码立即失效，并解除锁定。" okText="重置" cancelText="取消" onConfirm={() => reset(a)}>
              <Button size="small" icon={<KeyOutlined />}>
                重置密码
              </Button>
            </Popconfirm>
            <Popconfirm title={a.disabled ? `启用 ${a.name}？` : `停用 ${a.name}？`} okText="确定" cancelText="取消" onConfirm={() => update(a, { disabled: !a.disabled })}>
              <Button size="small" danger={!a.disabled}>
                {a.disabled ? '启用' : '停用'}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <>
      <div style={{ marginBottom: 8, textAlign: 'right' }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { setAddError(null); setAdding(true); }} data-testid="add-account">
          添加账号
        </Button>
      </div>
      <Table<Account> rowKey="id" size="small" columns={columns} dataSource={rows} loading={loading} pagination={false} data-testid="accounts" />
      <Modal open={adding} title="添加账号" okText="添加并生成一次性密码" cancelText="取消" onOk={() => void add()} onCancel={() => setAdding(false)} afterOpenChange={focusFirstField} destroyOnHidden>
        {addError && <Alert type="error" showIcon message={addError} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" requiredMark={false} preserve={false} initialValues={{ role: 'clerk' }}>
          <Form.Item label="登录名" name="name" rules={[{ required: true, whitespace: true, message: '请填写登录名' }]}>
            <Input maxLength={40} id="account-name" />
          </Form.Item>
          <Form.Item label="姓名" name="displayName">
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item label="角色" name="role" rules={[{ required: true }]}>
            <Select options={(Object.keys(ROLES) as Role[]).map((r) => ({ value: r, label: ROLES[r] }))} aria-label="角色" />
          </Form.Item>
          {role === 'township' && (
            <Form.Item label="所属乡镇" name="townshipCode" rules={[{ required: true, message: '乡镇工作人员须选择所属乡镇' }]}>
              <TownshipSelect onChange={(v) => form.setFieldValue('townshipCode', v)} placeholder="选择乡镇" />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <OneTimePasswordModal otp={otp} onClose={() => setOtp(null)} />
    </>
  );
}

function AuditTab() {
  const [filters, setFilters] = useState<{ kind?: string; from?: string; to?: string }>({});
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const { data, loading } = usePagedSearch(filters, page, (f, offset, limit) => call('audit', { ...f, offset, limit }), '读取审计记录失败');
  const columns: ColumnsType<AuditRow> = [
    { title: '时间', dataIndex: 'at', width: 150, render: (v: string) => <span className="nowrap">{dateTime(v)}</span> },
    { title: '类别', dataIndex: 'kindLabel', width: 140, render: (v: string, r) => <Tag color={r.kind === 'signInFailed' ? 'red' : r.kind === 'reveal' ? 'orange' : undefined}>{v}</Tag> },
    { title: '账号', dataIndex: 'userName', width: 110 },
    { title: '内容', dataIndex: 'summary', ellipsis: { showTitle: true } },
    { title: '地址', dataIndex: 'ip', width: 130 },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select
          aria-label="类别"
          allowClear
          placeholder="全部类别"
          style={{ width: 180 }}
          value={filters.kind}
          onChange={(v: string | undefined) => {
            setFilters((f) => ({ ...f, kind: v }));
            setPage((p) => ({ ...p, current: 1 }));
          }}
          options={(Object.keys(AUDIT_KINDS) as AuditKind[]).map((k) => ({ value: k, label: AUDIT_KINDS[k] }))}
        />
        <DatePicker.RangePicker
          aria-label="日期"
          allowEmpty={[true, true]}
          value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
          onChange={(r) => {
            setFilters((f) => ({ ...f, from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') }));
            setPage((p) => ({ ...p, current: 1 }));
          }}
        />
      </Space>
      <Table<AuditRow>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data.rows}
        loading={loading}
        data-testid="audit"
        onChange={(p) => setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        pagination={{ current: page.current, pageSize: page.pageSize, total: data.total, showTotal: (t) => `共 ${t} 条`, showSizeChanger: false }}
      />
    </>
  );
}

export function AccountsPage() {
  return (
    <div>
      <PageTitle title="账号与审计" />
      <Card size="small">
        <Tabs
          items={[
            { key: 'accounts', label: '账号', children: <AccountsTab /> },
            { key: 'audit', label: '审计记录', children: <AuditTab /> },
          ]}
        />
      </Card>
    </div>
  );
}
