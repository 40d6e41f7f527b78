// 申请人: person (ID number) or organisation (credit code), name, phone, village group, address.
// A known ID number shows the record found and fills what is still empty.
import { CheckCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Checkbox, Col, Form, Input, Radio, Row, Tag } from 'antd';
import type { Applicant } from '../../../../domain/records';
import { parseCreditCode } from '../../../../domain/creditCode';
import { parseResidentId } from '../../../../domain/idNumber';
import { parsePhone } from '../../../../domain/phone';
import { cnDate } from '../../format';
import { typingAware } from './formFields';
import type { IntakeValues } from './model';

export function ApplicantSection({
  kind,
  known,
  idInfo,
  today,
  visitPhoneMasked,
}: {
  kind: IntakeValues['kind'];
  known: Applicant | null;
  idInfo: ReturnType<typeof parseResidentId> | null;
  today: string;
  /** Converting a visit: the phone taken at the visit, used when this box is left empty. */
  visitPhoneMasked: string;
}) {
  // Left empty, the phone box keeps what is already known: the visit's phone, else the record's.
  const keptPhone = visitPhoneMasked ? `来访登记：${visitPhoneMasked}` : known?.phoneMasked ? `档案：${known.phoneMasked}` : undefined;
  const form = Form.useFormInstance<IntakeValues>();
  const creditCode = (Form.useWatch('creditCode', form) as string | undefined) ?? '';
  // A code failing only the check character may be real (early pilot registries): offer the
  // confirmation instead of making the organisation impossible to enter (domain/creditCode.ts).
  const cc = kind === 'org' && creditCode.trim() ? parseCreditCode(creditCode) : null;
  const pilotPossible = !!cc && !cc.ok && cc.checkCharOnly === true;
  return (
    <Card
      size="small"
      title={<span className="section-title">申请人</span>}
      style={{ marginBottom: 12 }}
      extra={
        <Form.Item name="kind" noStyle>
          <Radio.Group optionType="button" buttonStyle="solid" aria-label="申请人类别">
            <Radio.Button value="person">个人</Radio.Button>
            <Radio.Button value="org">组织（合作社、企业）</Radio.Button>
          </Radio.Group>
        </Form.Item>
      }
    >
      {known && (
        <Alert
          style={{ marginBottom: 12 }}
          type="success"
          showIcon
          message={
            <span>
              <Tag color="green" data-testid="known-applicant">
                已有档案
              </Tag>
              {known.name}
              {known.villageGroup && `，${known.villageGroup}`}
              {known.phoneMasked && `，档案电话 ${known.phoneMasked}`}
              。已自动填入档案信息，修改后会更新档案。
            </span>
          }
        />
      )}
      <Row gutter={16}>
        {kind === 'person' ? (
          <Col span={8}>
            <Form.Item
              label="居民身份证号码"
              name="idNumber"
              validateTrigger={['onChange', 'onBlur']}
              rules={[
                { required: true, whitespace: true, message: '请填写身份证号码', validateTrigger: 'onSubmit' },
                { validator: typingAware('idNumber', (v) => parseResidentId(v, { today })) },
              ]}
              extra={
                idInfo?.ok ? (
                  <span data-testid="id-derived" style={{ color: '#237804' }}>
                    <CheckCircleOutlined /> 出生日期 {cnDate(idInfo.value.birthDate)}，{idInfo.value.sex === 'male' ? '男' : '女'}
                    {idInfo.value.upgradedFrom15 && `（15位旧号码，对应18位 ${idInfo.value.id18}）`}
                  </span>
                ) : (
                  '18位，旧证15位也可以；输入后自动核对'
                )
              }
            >
              <Input autoFocus maxLength={22} autoComplete="off" />
            </Form.Item>
          </Col>
        ) : (
          <Col span={8}>
            <Form.Item
              label="统一社会信用代码"
              name="creditCode"
              validateTrigger={['onChange', 'onBlur']}
              dependencies={['creditCodeConfirmed']}
              rules={[
                { required: true, whitespace: true, message: '请填写统一社会信用代码', validateTrigger: 'onSubmit' },
                {
                  validator: typingAware('creditCode', (v) =>
                    parseCreditCode(v, { acceptPilotCode: form.getFieldValue('creditCodeConfirmed') === true }),
                  ),
                },
              ]}
              extra="18位，见营业执照或登记证书"
            >
              <Input autoFocus maxLength={22} autoComplete="off" />
            </Form.Item>
            {pilotPossible && (
              <Form.Item name="creditCodeConfirmed" valuePropName="checked" style={{ marginTop: -8 }}>
                <Checkbox data-testid="credit-code-confirm">已核对营业执照，代码确实如此（早期试点代码），按原样登记</Checkbox>
              </Form.Item>
            )}
          </Col>
        )}
        <Col span={5}>
          <Form.Item
            label={kind === 'person' ? '姓名' : '组织名称'}
            name="name"
            rules={[{ required: true, whitespace: true, message: kind === 'person' ? '请填写姓名' : '请填写组织名称' }]}
          >
            <Input maxLength={50} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item
            label="手机/电话"
            name="phone"
            validateTrigger="onBlur"
            extra={keptPhone && <span data-testid="phone-kept">{keptPhone}（留空即沿用）</span>}
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
            <Input maxLength={20} inputMode="tel" autoComplete="off" placeholder={keptPhone ? '不改可留空' : ''} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item label="村民小组" name="villageGroup">
            <Input maxLength={30} placeholder="例如 第三村民小组" autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="住址" name="address" style={{ marginBottom: 4 }}>
        <Input maxLength={100} autoComplete="off" />
      </Form.Item>
    </Card>
  );
}
