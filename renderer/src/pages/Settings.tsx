// 设置: point info, duty roster, my PIN, backup and restore (USB stick), and the data check.
import { CheckCircleFilled, CloseCircleFilled, CloudDownloadOutlined, PlusOutlined, SafetyOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Form, Input, List, Modal, Row, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import type { AgentSummary, BackupInfo, DoctorReport } from '../../../domain/records';
import { agentNameKey, duplicateAgentNameMessage } from '../../../domain/agentName';
import { formatPhone, parsePhone } from '../../../domain/phone';
import { api } from '../api';
import { focusFirstField } from '../components/modalFocus';
import { PageTitle } from '../components/PageTitle';
import { dateTime, formatBytes } from '../format';
import { feedback, showError, showSuccess } from '../notify';
import { useSession } from '../session';
import { PIN_FORM_RULE, PIN_HINT } from './pinRule';
import { RestoreDialog } from './RestoreDialog';

export function SettingsPage() {
  return (
    <div>
      <PageTitle title="设置" />
      <Row gutter={12}>
        <Col span={12}>
          <PointCard />
        </Col>
        <Col span={12}>
          <AgentsCard />
        </Col>
      </Row>
      <BackupCard />
      <Row gutter={12}>
        <Col span={12}>
          <ChangePinCard />
        </Col>
        <Col span={12}>
          <DoctorCard />
        </Col>
      </Row>
    </div>
  );
}

function PointCard() {
  const { point, state } = useSession();
  return (
    <Card size="small" title="代办点信息" style={{ marginBottom: 12 }}>
      <Descriptions
        size="small"
        column={1}
        labelStyle={{ width: 176, whiteSpace: 'nowrap' }}
        items={[
          { key: 'unit', label: '单位名称', children: <b>{point.unitName}</b> },
          { key: 'code', label: '村级统计用区划代码', children: point.villageCode },
          { key: 'consult', label: '咨询电话', children: <span data-testid="consult-phone">{formatPhone(point.consultPhone) || '—'}</span> },
          { key: 'complaint', label: '投诉电话', children: <span data-testid="complaint-phone">{formatPhone(point.complaintPhone) || '—'}</span> },
          { key: 'idle', label: '自动锁屏', children: `${point.idleLockMinutes || 10} 分钟无操作` },
          { key: 'dir', label: '数据位置', children: <span style={{ wordBreak: 'break-all', fontSize: 14 }}>{state.dataDir}</span> },
        ]}
      />
      <Typography.Paragraph className="text-muted" style={{ margin: '8px 0 0', fontSize: 14 }}>
        代办点信息如需更改，请联系乡镇便民服务中心。
      </Typography.Paragraph>
    </Card>
  );
}

function AgentsCard() {
  const { state, agent, refresh } = useSession();
  const [adding, setAdding] = useState(false);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; phone: string; pin: string; pin2: string }>();

  async function toggle(a: AgentSummary, active: boolean) {
    // Deactivating removed this agent's PIN from the register's keys: coming back needs a new one.
    let pin: string | undefined;
    if (active && state.encrypted) {
      pin = await new Promise<string | undefined>((resolve) => {
        let typed = '';
        Modal.confirm({
          title: `重新启用 ${a.name}：请设置新的 PIN`,
          content: (
            <div>
              <p className="text-muted">{PIN_HINT}</p>
              <Input.Password autoFocus inputMode="numeric" maxLength={12} aria-label="新的PIN" onChange={(e) => (typed = e.target.value)} />
            </div>
          ),
          okText: '启用',
          cancelText: '取消',
          onOk: () => resolve(typed),
          onCancel: () => resolve(undefined),
        });
      });
      if (pin === undefined) return;
    }
    setBusyId(a.id);
    try {
      await api.setAgentActive({ agentId: a.id, active, pin });
      await refresh();
      showSuccess(active ? `已启用 ${a.name}` : `已停用 ${a.name}`);
    } catch (e) {
      showError(e);
    } finally {
      setBusyId(null);
    }
  }

  // An agent added on another laptop of the point arrives without a PIN here (PINs never leave a laptop).
  async function givePin(a: AgentSummary) {
    const pin = await new Promise<string | undefined>((resolve) => {
      let typed = '';
      Modal.confirm({
        title: `为 ${a.name} 设置本机 PIN`,
        content: (
          <div>
            <p>{a.name} 是在本代办点另一台电脑上添加的，PIN 不随同步传递。设置后请告诉本人，并请其登录后自行修改。</p>
            <p className="text-muted">{PIN_HINT}</p>
            <Input.Password autoFocus inputMode="numeric" maxLength={12} aria-label="新的PIN" onChange={(e) => (typed = e.target.value)} />
          </div>
        ),
        okText: '设置',
        cancelText: '取消',
        onOk: () => resolve(typed),
        onCancel: () => resolve(undefined),
      });
    });
    if (pin === undefined) return;
    setBusyId(a.id);
    try {
      await api.setAgentPin({ agentId: a.id, pin });
      await refresh();
      showSuccess(`已为 ${a.name} 设置本机 PIN`);
    } catch (e) {
      showError(e, '设置失败');
    } finally {
      setBusyId(null);
    }
  }

  const columns: ColumnsType<AgentSummary> = [
    {
      title: '姓名',
      dataIndex: 'name',
      render: (n: string, a) =>
        a.id === agent.id ? (
          <span>
            {n} <Tag color="blue">当前</Tag>
          </span>
        ) : a.noPinHere && a.active ? (
          <span>
            {n} <Tag color="orange">未在本机设置 PIN</Tag>
            <Button size="small" onClick={() => void givePin(a)} loading={busyId === a.id}>
              设置 PIN
            </Button>
          </span>
        ) : (
          n
        ),
    },
    { title: '手机', dataIndex: 'phoneMasked', width: 140 },
    {
      title: '在岗',
      dataIndex: 'active',
      width: 110,
      render: (on: boolean, a) => (
        <Switch
          checked={on}
          checkedChildren="在岗"
          unCheckedChildren="停用"
          loading={busyId === a.id}
          disabled={a.id === agent.id}
          aria-label={`${a.name} 在岗`}
          onChange={(v) => {
            if (v) void toggle(a, true);
            else
              feedback().modal.confirm({
                title: `停用代办员 ${a.name}？`,
                content: '停用后不能再登录，已登记的记录保留。以后可以重新启用。',
                okText: '停用',
                okButtonProps: { danger: true },
                cancelText: '取消',
                onOk: () => toggle(a, false),
              });
          }}
        />
      ),
    },
  ];

  return (
    <Card
      size="small"
      title="值班代办员"
      style={{ marginBottom: 12 }}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          添加代办员
        </Button>
      }
    >
      <Table<AgentSummary> rowKey="id" size="small" columns={columns} dataSource={state.agents} pagination={false} />
      <Modal
        open={adding}
        title="添加代办员"
        okText="添加"
        cancelText="取消"
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      afterOpenChange={focusFirstField}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v: { name: string; phone: string; pin: string }) => {
            try {
              await api.addAgent({ name: v.name.trim(), phone: (v.phone ?? '').trim(), pin: v.pin });
              await refresh();
              showSuccess(`已添加代办员 ${v.name}`);
              setAdding(false);
            } catch (e) {
              showError(e, '添加失败');
            }
          }}
        >
          <Form.Item
            label="姓名"
            name="name"
            rules={[
              { required: true, whitespace: true, message: '请填写姓名' },
              {
                // Stopped agents count too: their name stays on the records they signed (domain/agentName.ts).
                validator: (_, v: string | undefined) => {
                  const same = v?.trim() ? state.agents.find((a) => agentNameKey(a.name) === agentNameKey(v)) : undefined;
                  return same ? Promise.reject(new Error(duplicateAgentNameMessage(v!, !same.active))) : Promise.resolve();
                },
              },
            ]}
          >
            <Input autoFocus maxLength={20} />
          </Form.Item>
          <Form.Item
            label="手机"
            name="phone"
            rules={[
              {
                validator: (_, v: string | undefined) => {
                  if (!v?.trim()) return Promise.resolve();
                  const r = parsePhone(v);
                  return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
                },
              },
            ]}
          >
            <Input maxLength={20} inputMode="tel" />
          </Form.Item>
          <Form.Item label="密码/PIN" name="pin" rules={[{ required: true, message: '请设置密码' }, PIN_FORM_RULE]} extra={PIN_HINT}>
            <Input.Password autoComplete="new-password" maxLength={64} />
          </Form.Item>
          <Form.Item
            label="再输一次密码"
            name="pin2"
            dependencies={['pin']}
            rules={[
              { required: true, message: '请再输一次密码' },
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) => (!v || v === getFieldValue('pin') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={64} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function ChangePinCard() {
  const { agent } = useSession();
  const [form] = Form.useForm<{ oldPin: string; newPin: string; newPin2: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Card size="small" title={`修改我的密码（${agent.name}）`} style={{ marginBottom: 12 }}>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: { oldPin: string; newPin: string }) => {
          setBusy(true);
          try {
            await api.changePin({ oldPin: v.oldPin, newPin: v.newPin });
            form.resetFields();
            showSuccess('密码已修改，下次登录请使用新密码');
          } catch (e) {
            showError(e, '修改密码失败');
          } finally {
            setBusy(false);
          }
        }}
      >
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item label="原密码" name="oldPin" rules={[{ required: true, message: '请输入原密码' }]}>
              <Input.Password autoComplete="current-password" maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="新密码" name="newPin" rules={[{ required: true, message: '请输入新密码' }, PIN_FORM_RULE]} extra={PIN_HINT}>
              <Input.Password autoComplete="new-password" maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              label="再输一次新密码"
              name="newPin2"
              dependencies={['newPin']}
              rules={[
                { required: true, message: '请再输一次' },
                ({ getFieldValue }) => ({
                  validator: (_, v: string | undefined) => (!v || v === getFieldValue('newPin') ? Promise.resolve() : Promise.reject(new Error('两次输入不一致'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" maxLength={64} />
            </Form.Item>
          </Col>
        </Row>
        <Button htmlType="submit" loading={busy}>
          修改密码
        </Button>
      </Form>
    </Card>
  );
}

function BackupCard() {
  const { refresh } = useSession();
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [list, setList] = useState<BackupInfo[]>([]);
  const [loading, setLoading] = useState(false);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [otherFile, setOtherFile] = useState('');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setList(await api.listBackups({}));
    } catch (e) {
      showError(e, '读取备份列表失败');
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function backup() {
    setBusy(true);
    try {
      const b = await api.backupNow(dir.trim() ? { dir: dir.trim() } : {});
      feedback().modal.success({ title: '备份完成', content: <div style={{ wordBreak: 'break-all' }}>已保存到：{b.path}（{formatBytes(b.bytes)}）</div>, okText: '知道了' });
      await load();
    } catch (e) {
      showError(e, '备份失败');
    } finally {
      setBusy(false);
    }
  }

  const columns: ColumnsType<BackupInfo> = [
    { title: '备份时间', dataIndex: 'createdAt', width: 170, render: (v: string) => dateTime(v) },
    { title: '文件', dataIndex: 'path', ellipsis: { showTitle: true } },
    { title: '大小', dataIndex: 'bytes', width: 100, render: (n: number) => formatBytes(n) },
    {
      title: '',
      width: 110,
      render: (_: unknown, b) => (
        <Button size="small" danger onClick={() => setRestoring(b.path)}>
          恢复此备份
        </Button>
      ),
    },
  ];

  return (
    <Card size="small" title="备份与恢复" style={{ marginBottom: 12 }}>
      <Typography.Paragraph className="text-muted" style={{ fontSize: 14 }}>
        建议每天下班前备份一次，并定期备份到U盘，放在另一个地方保管。
      </Typography.Paragraph>
      <Space.Compact style={{ width: '100%', maxWidth: 760 }}>
        <Input
          aria-label="备份到的文件夹"
          placeholder="备份到的文件夹（可不填，默认保存在本机数据目录；U盘例如 E:\ 或 /media/usb）"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          onPressEnter={() => void backup()}
        />
        <Button type="primary" icon={<CloudDownloadOutlined />} loading={busy} onClick={() => void backup()}>
          立即备份
        </Button>
      </Space.Compact>
      <Table<BackupInfo>
        style={{ marginTop: 12 }}
        rowKey="path"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={list}
        pagination={{ pageSize: 5, hideOnSinglePage: true }}
        locale={{ emptyText: '还没有备份' }}
      />
      <Typography.Paragraph style={{ margin: '12px 0 4px' }}>
        从U盘或其他位置恢复（也可以是本代办点另一台电脑做的备份，备份文件旁同名的 .keys.json 要一起复制）：
      </Typography.Paragraph>
      <Space.Compact style={{ width: '100%', maxWidth: 760 }}>
        <Input
          aria-label="要恢复的备份文件"
          placeholder="备份文件的完整路径，例如 E:\代办通备份-手动-20261120-173000.sqlite"
          value={otherFile}
          onChange={(e) => setOtherFile(e.target.value)}
          onPressEnter={() => otherFile.trim() && setRestoring(otherFile.trim())}
        />
        <Button danger disabled={!otherFile.trim()} onClick={() => setRestoring(otherFile.trim())}>
          检查并恢复…
        </Button>
      </Space.Compact>
      <RestoreDialog
        path={restoring}
        onClose={() => setRestoring(null)}
        onRestored={async () => {
          await refresh();
          await load();
        }}
      />
    </Card>
  );
}

function DoctorCard() {
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    try {
      setReport(await api.doctor({}));
    } catch (e) {
      showError(e, '数据检查失败');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card
      size="small"
      title="数据检查"
      style={{ marginBottom: 12 }}
      extra={
        <Button icon={<SafetyOutlined />} loading={busy} onClick={() => void run()}>
          开始检查
        </Button>
      }
    >
      {!report ? (
        <Typography.Paragraph className="text-muted" style={{ margin: 0, fontSize: 14 }}>
          检查数据文件是否完好、记录是否一致。程序出错或停电后建议运行一次。
        </Typography.Paragraph>
      ) : (
        <>
          <Alert
            type={report.ok ? 'success' : 'error'}
            showIcon
            style={{ marginBottom: 8 }}
            message={report.ok ? '检查通过，数据正常' : '发现问题，请联系乡镇或县里的技术人员'}
          />
          <List
            size="small"
            dataSource={report.checks}
            data-testid="doctor-checks"
            renderItem={(c) => (
              <List.Item>
                <Space align="start">
                  {c.ok ? <CheckCircleFilled style={{ color: '#52c41a' }} aria-label="正常" /> : <CloseCircleFilled style={{ color: '#cf1322' }} aria-label="有问题" />}
                  <span>
                    <b>{c.name}</b>
                    {c.detail && <div className="text-muted" style={{ fontSize: 14 }}>{c.detail}</div>}
                  </span>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}
