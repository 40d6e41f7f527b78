// 材料核对: one row per catalog material — 收取情况, 原件代管 for originals, 承诺补交日期 for 容缺.
import { Alert, Button, DatePicker, Form, Select, Space, Tag } from 'antd';
import { CUSTODY_STATES, MATERIAL_STATES, type CustodyState, type MaterialState } from '../../../../domain/vocab';
import { checkPromisedDate } from '../../../../domain/dateBounds';
import { dateCheckRule } from '../../components/dateRules';
import { chinaToday } from '../../format';
import { dateProps } from './formFields';
import { HOLDS_ORIGINAL, type MaterialValue } from './model';

export function MaterialsChecklist({
  materials,
  intakeDate,
  unsetCount,
  onFillRest,
}: {
  materials: MaterialValue[];
  intakeDate: string;
  unsetCount: number;
  onFillRest: () => void;
}) {
  const today = chinaToday();
  if (materials.length === 0)
    return <Alert type="info" showIcon message="该事项目录中没有列出材料，请在备注中写明收取了哪些材料。" />;
  return (
    <div>
      <Space style={{ marginBottom: 6, justifyContent: 'space-between', width: '100%' }}>
        <span style={{ fontWeight: 600 }}>材料核对（{materials.length} 项）</span>
        <Button size="small" onClick={onFillRest} disabled={unsetCount === 0}>
          未核对的材料按要求设为“已收”
        </Button>
      </Space>
      <table className="mat-table" aria-label="材料核对">
        <thead>
          <tr>
            <th style={{ width: 36 }}>#</th>
            <th>材料</th>
            <th style={{ width: 200 }}>收取情况</th>
            <th style={{ width: 160 }}>原件代管</th>
            <th style={{ width: 180 }}>承诺补交日期</th>
          </tr>
        </thead>
        <tbody>
          <Form.List name="materials">
            {(fields) =>
              fields.map((f, i) => {
                const m = materials[i];
                if (!m) return null;
                const rowCls = m.state === 'missing' && m.required ? 'mat-row-missing' : m.state === 'deferred' ? 'mat-row-deferred' : '';
                return (
                  <tr key={f.key} className={rowCls} data-testid={`material-row-${i}`}>
                    <td>{i + 1}</td>
                    <td>
                      <div style={{ fontWeight: 500 }}>{m.name}</div>
                      <div style={{ fontSize: 13 }} className="text-muted">
                        {[m.form, m.copies ? `${m.copies}份` : ''].filter(Boolean).join(' · ')}{' '}
                        {m.required ? <Tag color="blue">必需</Tag> : <Tag>如有则提供</Tag>}
                        {m.deferrable && <Tag color="gold">可容缺</Tag>}
                      </div>
                    </td>
                    <td>
                      <Form.Item name={[f.name, 'state']} rules={[{ required: true, message: '请选择' }]}>
                        <Select
                          aria-label={`${m.name} 收取情况`}
                          placeholder="请核对"
                          status={m.state === 'missing' && m.required ? 'error' : undefined}
                          options={(Object.keys(MATERIAL_STATES) as MaterialState[]).map((k) => ({
                            value: k,
                            label: MATERIAL_STATES[k],
                            disabled: k === 'deferred' && !m.deferrable,
                            title: k === 'deferred' && !m.deferrable ? '此材料不可容缺' : undefined,
                          }))}
                        />
                      </Form.Item>
                    </td>
                    <td>
                      {m.state && HOLDS_ORIGINAL.includes(m.state) ? (
                        <Form.Item name={[f.name, 'custody']}>
                          <Select
                            aria-label={`${m.name} 原件代管`}
                            options={(['none', 'held'] as CustodyState[]).map((k) => ({ value: k, label: CUSTODY_STATES[k] }))}
                          />
                        </Form.Item>
                      ) : (
                        <span className="text-muted">—</span>
                      )}
                    </td>
                    <td>
                      {m.state === 'deferred' ? (
                        <Form.Item
                          name={[f.name, 'promisedDate']}
                          {...dateProps}
                          rules={[
                            { required: true, message: '请选择承诺补交日期' },
                            dateCheckRule((d) => checkPromisedDate(d, { today, intakeDate, materialName: m.name, backfillIntake: intakeDate < today })),
                          ]}
                        >
                          <DatePicker aria-label={`${m.name} 承诺补交日期`} style={{ width: '100%' }} format="YYYY-MM-DD" placeholder="选择日期" />
                        </Form.Item>
                      ) : (
                        <span className="text-muted">—</span>
                      )}
                    </td>
                  </tr>
                );
              })
            }
          </Form.List>
        </tbody>
      </table>
    </div>
  );
}
