// After saving: the case number and due date in large type, the receipt print, and the way on.
import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Result, Space, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { CaseDetail } from '../../../../domain/records';
import { api } from '../../api';
import { PrintButton } from '../../components/PrintPreview';
import { cnDate } from '../../format';
import { feedback, showError } from '../../notify';
import { printReceipt } from '../../reports/printReceipt';
import { navigate } from '../../components/routing';
import { ESTIMATE_NOTE } from '../../../../domain/calendarEstimate';

export function IntakeResult({ c, onNext }: { c: CaseDetail; onNext: () => void }) {
  const refused = c.status === 'refusedIntake';
  const deferred = c.materials.filter((m) => m.state === 'deferred');
  const viewRef = useRef<HTMLButtonElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);
  const [printing, setPrinting] = useState(false);
  useEffect(() => (printRef.current ?? viewRef.current)?.focus(), []);
  async function print() {
    setPrinting(true);
    try {
      const r = await printReceipt(api, c.id, { refused });
      feedback().message.success(r.printer ? `已发送到打印机：${r.printer}` : '已打开打印对话框');
    } catch (e) {
      showError(e, '打印失败');
    } finally {
      setPrinting(false);
    }
  }
  return (
    <Card>
      <Result
        status={refused ? 'warning' : 'success'}
        title={refused ? '已登记为不予受理' : '受理成功'}
        subTitle={
          <div style={{ fontSize: 16, color: '#1f2937' }}>
            <div className="text-muted">件号</div>
            <div className="big-case-no" data-testid="case-no">
              {c.caseNo}
            </div>
            <div style={{ marginTop: 8 }}>
              {c.applicantName} · {c.itemName}
            </div>
            {refused ? (
              <div style={{ marginTop: 8 }}>不予受理理由：{c.refusalReason}</div>
            ) : (
              <div style={{ marginTop: 8, fontSize: 18 }}>
                承诺办结日期：<b data-testid="due-date">{cnDate(c.dueDate)}</b>（{c.committedWorkdays} 个工作日）
                {c.dueEstimated && (
                  <div className="text-warning" style={{ fontSize: 14 }}>
                    该年度节假日安排尚未发布，{ESTIMATE_NOTE}，日期可能调整
                  </div>
                )}
                {c.backfilled && (
                  <div style={{ fontSize: 14 }}>
                    <Tag color="purple">补录</Tag>按实际受理日期 {cnDate(c.intakeDate)} 计算
                  </div>
                )}
              </div>
            )}
            {deferred.length > 0 && (
              <div style={{ marginTop: 8 }}>
                容缺后补：
                {deferred.map((m) => `${m.name}（${m.promisedDate ?? ''} 前补交）`).join('；')}
              </div>
            )}
          </div>
        }
        extra={
          <Space wrap size="middle" style={{ justifyContent: 'center' }}>
            {/* One step: straight to the printer (Electron) or the browser's print dialog. */}
            <Button ref={printRef} size="large" type="primary" icon={<PrinterOutlined />} loading={printing} onClick={() => void print()} data-testid="print-receipt">
              {refused ? '打印不予受理告知书' : '打印受理回执'}
            </Button>
            <PrintButton size="large" kind={refused ? 'refusal' : 'receipt'} caseId={c.id} label="预览" />
            <Button ref={viewRef} size="large" onClick={() => navigate(`/cases/${c.id}`)}>
              查看此件
            </Button>
            <Button size="large" onClick={onNext}>
              继续受理下一件
            </Button>
          </Space>
        }
      />
    </Card>
  );
}
