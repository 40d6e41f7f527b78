// 办理: handling mode, 受理日期 (an earlier date marks the case 补录) and the note.
import { Alert, Card, Checkbox, Col, DatePicker, Form, Input, Radio, Row, Tag } from 'antd';
import { HANDLING_MODES } from '../../../../domain/vocab';
import { backfillNeedsConfirmation, BACKFILL_WINDOW_DAYS, checkRecordDate, daysBetween } from '../../../../domain/dateBounds';
import { cnDate } from '../../format';
import { dateCheckRule } from '../../components/dateRules';
import { useSession } from '../../session';
import { dateProps } from './formFields';

export function HandlingSection({ intakeDate, today }: { intakeDate: string; today: string }) {
  const { state } = useSession();
  const form = Form.useFormInstance();
  const backfill = intakeDate < today;
  const needsConfirm = backfillNeedsConfirmation(intakeDate, today);
  return (
    <Card size="small" title={<span className="section-title">办理</span>} style={{ marginBottom: 12 }}>
      <Row gutter={16}>
        <Col span={10}>
          <Form.Item label="办理方式" name="handlingMode">
            <Radio.Group optionType="button" buttonStyle="solid" options={Object.entries(HANDLING_MODES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item
            label={
              <span>
                受理日期 {backfill && <Tag color="purple">补录</Tag>}
              </span>
            }
            name="intakeDate"
            dependencies={['backfillConfirmed']}
            rules={[
              { required: true, message: '请选择受理日期' },
              dateCheckRule((d) =>
                checkRecordDate('受理日期', d, { today, pointSince: state.pointSince, backfillConfirmed: !!form.getFieldValue('backfillConfirmed') }),
              ),
            ]}
            {...dateProps}
          >
            <DatePicker style={{ width: '100%' }} allowClear={false} format="YYYY-MM-DD" />
          </Form.Item>
          {needsConfirm && (
            <Form.Item name="backfillConfirmed" valuePropName="checked" style={{ marginTop: -8 }}>
              <Checkbox data-testid="backfill-confirm">
                确认补录：已对照纸质记录核对，受理日期是 {daysBetween(intakeDate, today)} 天前（超过 {BACKFILL_WINDOW_DAYS} 天）
              </Checkbox>
            </Form.Item>
          )}
        </Col>
        <Col span={7}>
          {backfill && (
            <Alert
              type="info"
              style={{ marginTop: 4, fontSize: 14 }}
              message="补录"
              description={`按纸质记录事后录入：承诺办结日期和超期按实际受理日期 ${cnDate(intakeDate)} 计算，系统记录录入人和录入时间。`}
            />
          )}
        </Col>
      </Row>
      <Form.Item label="备注" name="note" style={{ marginBottom: 4 }}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount />
      </Form.Item>
    </Card>
  );
}
