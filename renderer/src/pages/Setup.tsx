// 首次设置: the point's place code and names, its phones, and the agents on the duty roster.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Row, Typography } from 'antd';
import { useState } from 'react';
import type { AppState } from '../../../domain/records';
import { agentNameKey, duplicateAgentNameMessage } from '../../../domain/agentName';
import { formatPhone, parsePhone, type PhoneOptions } from '../../../domain/phone';
import { parseVillageCode, unitName } from '../../../domain/villageCode';
import { api } from '../api';
import { formKeyDown, useCtrlEnter } from '../components/keyboard';
import { errorText, showSuccess } from '../notify';

type AgentRow = { name: string; phone: string; pin: string; pin2: string };
type Values = {
  villageCode: string;
  countyName: string;
  townshipName: string;
  villageName: string;
  consultPhone: string;
  complaintPhone: string;
  agents: AgentRow[];
};

// One phone rule (domain/phone.ts): the point's own numbers may be a government hotline (12345),
// an agent's phone may not.
const phoneRule = (opts: PhoneOptions = {}) => ({
  validator: (_: unknown, v: string | undefined) => {
    if (!v || !v.trim()) return Promise.resolve();
    const r = parsePhone(v, opts);
    return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
  },
});
const optionalPhone = phoneRule();
const pointPhone = phoneRule({ allowService: true });

export function Setup({ onDone }: { onDone: (s: AppState) => void }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const county = Form.useWatch('countyName', form) ?? '';
  const township = Form.useWatch('townshipName', form) ?? '';
  const village = Form.useWatch('villageName', form) ?? '';
  const code = Form.useWatch('villageCode', form) ?? '';
  const parsedCode = code ? parseVillageCode(code) : null;

  async function submit(v: Values) {
    setBusy(true);
    setError(null);
    try {
      const s = await api.setupPoint({
        villageCode: v.villageCode.trim(),
        countyName: v.countyName,
        townshipName: v.townshipName,
        villageName: v.villageName,
        consultPhone: v.consultPhone ?? '',
        complaintPhone: v.complaintPhone ?? '',
        agents: v.agents.map((a) => ({ name: a.name, phone: a.phone ?? '', pin: a.pin })),
      });
      showSuccess('设置完成');
      onDone(s);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  useCtrlEnter(() => form.submit());

  // A number the rule recognises is shown grouped as soon as the agent leaves the field ("139 0478 1234").
  const groupOnBlur = (name: ['consultPhone'] | ['complaintPhone'] | ['agents', number, 'phone'], opts: PhoneOptions = {}) => () => {
    const v = form.getFieldValue(name) as string | undefined;
    if (v && parsePhone(v, opts).ok) form.setFieldValue(name, formatPhone(v));
  };

  const preview = county || township || village ? unitName({ countyName: county, townshipName: township, villageName: village }) : '';

  return (
    <div style={{ minHeight: '100vh', background: '#f2f4f7', padding: '24px 16px' }}>
      <div style={{ maxWidth: 960, margin: '0 auto' }} onKeyDown={formKeyDown()}>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          欢迎使用代办通 · 首次设置
        </Typography.Title>
        <Typography.Paragraph className="text-muted">
          请填写本代办点的基本信息和值班代办员。这些信息会印在受理回执和台账上，以后可在“设置”中查看。
        </Typography.Paragraph>
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{ agents: [{ name: '', phone: '', pin: '', pin2: '' }] }}
          onFinish={(v) => void submit(v)}
          scrollToFirstError
        >
          <Card title="代办点" style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              <Col span={8}>
                <Form.Item
                  label="村级统计用区划代码"
                  name="villageCode"
                  validateTrigger={['onChange', 'onBlur']}
                  rules={[
                    { required: true, message: '请填写12位村级统计用区划代码' },
                    {
                      validator: (_, v: string | undefined) => {
                        if (!v) return Promise.resolve();
                        const r = parseVillageCode(v);
                        return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
                      },
                    },
                  ]}
                  extra={
                    parsedCode?.ok
                      ? `乡镇代码 ${parsedCode.value.township}，县代码 ${parsedCode.value.county}`
                      : '12位数字，例如 150822101201'
                  }
                >
                  <Input autoFocus maxLength={12} inputMode="numeric" placeholder="150822101201" />
                </Form.Item>
              </Col>
              <Col span={16}>
                <Alert
                  type="info"
                  style={{ marginTop: 30 }}
                  message={
                    <span>
                      单位名称：<b data-testid="unit-name-preview">{preview || '（填写下方县、乡镇、村名称后显示）'}</b>
                    </span>
                  }
                />
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={8}>
                <Form.Item label="县（旗、区）名称" name="countyName" rules={[{ required: true, whitespace: true, message: '请填写县名称' }]}>
                  <Input placeholder="例如 某某县" maxLength={30} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item label="乡镇（苏木）名称" name="townshipName" rules={[{ required: true, whitespace: true, message: '请填写乡镇名称' }]}>
                  <Input placeholder="例如 某某镇" maxLength={30} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item label="村（嘎查、社区）名称" name="villageName" rules={[{ required: true, whitespace: true, message: '请填写村名称' }]}>
                  <Input placeholder="例如 某某村" maxLength={30} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={8}>
                <Form.Item label="咨询电话" name="consultPhone" rules={[pointPhone]}>
                  <Input placeholder="印在回执上，可不填" maxLength={30} onBlur={groupOnBlur(['consultPhone'], { allowService: true })} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item label="投诉电话" name="complaintPhone" rules={[pointPhone]} extra="可填政务服务热线 12345">
                  <Input placeholder="印在回执上，可不填" maxLength={30} onBlur={groupOnBlur(['complaintPhone'], { allowService: true })} />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Card title="值班代办员" style={{ marginBottom: 16 }}>
            <Form.List name="agents">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Row gutter={12} key={f.key} align="top">
                      <Col span={5}>
                        <Form.Item
                          label={`代办员${i + 1} 姓名`}
                          name={[f.name, 'name']}
                          rules={[
                            { required: true, whitespace: true, message: '请填写姓名' },
                            ({ getFieldValue }) => ({
                              // Two cards with one name on the sign-in screen cannot be told apart (domain/agentName.ts).
                              validator: (_, v: string | undefined) => {
                                const rows = (getFieldValue('agents') ?? []) as Partial<AgentRow>[];
                                const earlier = rows.slice(0, i).some((r) => agentNameKey(r?.name ?? '') === agentNameKey(v ?? ''));
                                return v?.trim() && earlier ? Promise.reject(new Error(duplicateAgentNameMessage(v))) : Promise.resolve();
                              },
                            }),
                          ]}
                          dependencies={fields.slice(0, i).map((g) => ['agents', g.name, 'name'])}
                        >
                          <Input maxLength={20} />
                        </Form.Item>
                      </Col>
                      <Col span={6}>
                        <Form.Item label="手机" name={[f.name, 'phone']} rules={[optionalPhone]}>
                          <Input maxLength={20} inputMode="tel" onBlur={groupOnBlur(['agents', f.name, 'phone'])} />
                        </Form.Item>
                      </Col>
                      <Col span={5}>
                        <Form.Item
                          label="密码/PIN"
                          name={[f.name, 'pin']}
                          rules={[
                            { required: true, message: '请设置密码' },
                            { min: 4, message: '至少4位' },
                          ]}
                        >
                          <Input.Password autoComplete="new-password" maxLength={64} />
                        </Form.Item>
                      </Col>
                      <Col span={5}>
                        <Form.Item
                          label="再输一次密码"
                          name={[f.name, 'pin2']}
                          dependencies={[['agents', f.name, 'pin']]}
                          rules={[
                            { required: true, message: '请再输一次密码' },
                            ({ getFieldValue }) => ({
                              validator: (_, v: string | undefined) =>
                                !v || v === getFieldValue(['agents', f.name, 'pin'])
                                  ? Promise.resolve()
                                  : Promise.reject(new Error('两次输入的密码不一致')),
                            }),
                          ]}
                        >
                          <Input.Password autoComplete="new-password" maxLength={64} />
                        </Form.Item>
                      </Col>
                      <Col span={3} style={{ paddingTop: 34 }}>
                        {fields.length > 1 && (
                          <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={`删除代办员${i + 1}`}>
                            删除
                          </Button>
                        )}
                      </Col>
                    </Row>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ name: '', phone: '', pin: '', pin2: '' })}>
                    再添加一名代办员
                  </Button>
                </>
              )}
            </Form.List>
          </Card>

          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" size="large" htmlType="submit" loading={busy}>
            完成设置
          </Button>
          <span className="text-muted" style={{ marginInlineStart: 12 }}>
            Enter 跳到下一项，Ctrl+Enter 完成
          </span>
        </Form>
      </div>
    </div>
  );
}
