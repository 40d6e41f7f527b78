// 办理事项与材料: the service item (shared catalog picker), its limits, the materials checklist and,
// when a required material is missing, the 一次性告知 list with the way to 不予受理.
import { StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Form, Row } from 'antd';
import type { CatalogItem } from '../../../../domain/records';
import { CatalogSelect } from '../../components/CatalogSelect';
import { MaterialsChecklist } from './MaterialsChecklist';
import { materialSummary, type MaterialValue } from './model';

export function MaterialsSection({
  item,
  materials,
  intakeDate,
  unsetCount,
  blocking,
  notReceived,
  onChooseItem,
  onFillRest,
  onRefuse,
}: {
  item: CatalogItem | null;
  materials: MaterialValue[];
  intakeDate: string;
  unsetCount: number;
  blocking: MaterialValue[];
  notReceived: MaterialValue[];
  onChooseItem: (item: CatalogItem | null) => void;
  onFillRest: () => void;
  onRefuse: () => void;
}) {
  return (
    <Card size="small" title={<span className="section-title">办理事项与材料</span>} style={{ marginBottom: 12 }}>
      <Row gutter={16} align="top">
        <Col span={12}>
          <Form.Item label="办理事项" name="itemCode" rules={[{ required: true, message: '请选择办理事项' }]}>
            <CatalogSelect
              detailed
              allowClear={false}
              selectedItem={item}
              placeholder="输入事项名称或拼音首字母，如 养老、ylbx"
              onChange={(_code, it) => onChooseItem(it)}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          {item && (
            <Descriptions
              size="small"
              column={2}
              data-testid="item-info"
              items={[
                { key: 'limit', label: '承诺时限', children: <b>{item.committedWorkdays} 个工作日</b> },
                { key: 'dept', label: '办理部门', children: item.department || '—' },
                { key: 'fee', label: '收费', children: item.fee > 0 ? `${item.fee} 元` : '不收费' },
                { key: 'at', label: '审批层级', children: item.decidedAt || '—' },
              ]}
            />
          )}
        </Col>
      </Row>

      {item ? (
        <MaterialsChecklist materials={materials} intakeDate={intakeDate} unsetCount={unsetCount} onFillRest={onFillRest} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="选择事项后，这里列出需要核对的材料" />
      )}

      {blocking.length > 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          data-testid="materials-incomplete"
          message={<b>材料不全不能受理</b>}
          description={
            <div>
              <div>
                缺少必需材料：{blocking.map((m) => m.name).join('、')}
                {blocking.some((m) => m.deferrable) && '（标有“可容缺”的材料可改选“容缺后补”并填写承诺补交日期）'}。
              </div>
              <div style={{ marginTop: 6 }}>请一次性告知申请人需要补齐的全部材料：</div>
              <ol style={{ margin: '4px 0 8px', paddingInlineStart: 24 }}>
                {notReceived.map((m) => (
                  <li key={m.name}>{materialSummary(m)}</li>
                ))}
              </ol>
              <Button danger icon={<StopOutlined />} onClick={onRefuse}>
                不予受理并登记理由
              </Button>
            </div>
          }
        />
      )}
    </Card>
  );
}
