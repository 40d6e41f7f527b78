// One visit: what was recorded, with handling, outcome and 息访 editable; 转为代办件 keeps the link both ways.
import { FileAddOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Result, Row, Select, Space, Spin, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Visit } from '../../../domain/records';
import { VISIT_CATEGORIES, VISIT_CHANNELS, VISIT_HANDLINGS, labelOf, type VisitHandling } from '../../../domain/vocab';
import { api } from '../api';
import { PageTitle } from '../components/PageTitle';
import { chinaTime, chinaToday, dateTime } from '../format';
import { showError, showSuccess } from '../notify';
import { href, Link, navigate } from '../components/routing';
import { dateProps } from './caseModals';

type EditValues = { handling: VisitHandling; transferredTo: string; outcome: string; settledDate: string | null };

export function VisitDetailPage({ id }: { id: string }) {
  const [v, setV] = useState<Visit | null>(null);
  const [error, setError] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<EditValues>();
  const handling = Form.useWatch('handling', form);
  const today = chinaToday();

  const load = useCallback(async () => {
    try {
      const got = await api.getVisit({ id });
      setV(got);
      setError(false);
    } catch (e) {
      setError(true);
      showError(e, '读取来访登记失败');
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (v) form.setFieldsValue({ handling: v.handling, transferredTo: v.transferredTo, outcome: v.outcome, settledDate: v.settledDate });
  }, [v, form]);

  if (!v) {
    if (error)
      return (
        <Result
          status="warning"
          title="打不开这条来访登记"
          extra={
            <Button type="primary" href={href('/visits')}>
              回到来访列表
            </Button>
          }
        />
      );
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }

  async function save(values: EditValues) {
    setSaving(true);
    try {
      const next = await api.updateVisit({
        id,
        handling: values.handling,
        transferredTo: (values.transferredTo ?? '').trim(),
        outcome: (values.outcome ?? '').trim(),
        settledDate: values.settledDate || null,
      });
      setV(next);
      showSuccess('已保存');
    } catch (e) {
      showError(e, '保存失败');
    } finally {
      setSaving(false);
    }
  }

  return (
    <div>
      <PageTitle
        title={`来访登记 · ${v.visitorName}`}
        extra={
          <>
            {!v.caseId && (
              <Button type="primary" icon={<FileAddOutlined />} onClick={() => navigate(`/intake?visit=${encodeURIComponent(v.id)}`)} data-testid="visit-to-case">
                转为代办件
              </Button>
            )}
            <Button href={href('/visits')}>返回来访列表</Button>
          </>
        }
      >
        <Tag color={v.category === 'complaint' || v.category === 'dispute' ? 'volcano' : 'blue'}>{labelOf(VISIT_CATEGORIES, v.category)}</Tag>
        {v.settledDate ? <Tag color="green">已息访</Tag> : <Tag color="orange">未息访</Tag>}
        {v.backfilled && <Tag color="purple">补录</Tag>}
      </PageTitle>

      {v.caseId && v.caseNo && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          message={
            <span>
              已转为代办件 <Link to={`/cases/${v.caseId}`} data-testid="visit-case-no">{v.caseNo}</Link>
            </span>
          }
        />
      )}

      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: 't', label: '来访时间', children: `${v.visitDate} ${chinaTime(v.visitedAt)}` },
            { key: 'n', label: '来访人', children: `${v.visitorName}${v.visitorCount > 1 ? `（共${v.visitorCount}人）` : ''}` },
            { key: 'p', label: '电话', children: v.visitorPhoneMasked || '—' },
            { key: 'c', label: '渠道', children: labelOf(VISIT_CHANNELS, v.channel) },
            { key: 'cat', label: '类别', children: labelOf(VISIT_CATEGORIES, v.category) },
            { key: 'a', label: '登记人', children: v.agentName },
            { key: 's', label: '来访事由', span: 3, children: <span style={{ whiteSpace: 'pre-wrap' }}>{v.summary}</span> },
          ]}
        />
        {v.backfilled && <div className="text-muted" style={{ marginTop: 6 }}>补录：{dateTime(v.visitedAt)}</div>}
      </Card>

      <Card size="small" title="处理情况">
        <Form<EditValues> form={form} layout="vertical" onFinish={(vals) => void save(vals)}>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item label="处理方式" name="handling" rules={[{ required: true }]}>
                <Select options={(Object.keys(VISIT_HANDLINGS) as VisitHandling[]).map((k) => ({ value: k, label: VISIT_HANDLINGS[k] }))} />
              </Form.Item>
            </Col>
            {(handling === 'transferred' || handling === 'assistedComplaint') && (
              <Col span={8}>
                <Form.Item label="转办单位" name="transferredTo">
                  <Input maxLength={60} />
                </Form.Item>
              </Col>
            )}
            <Col span={8}>
              <Form.Item label="息访日期" name="settledDate" {...dateProps}>
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label="处理结果" name="outcome">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={saving}>
              保存处理情况
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
