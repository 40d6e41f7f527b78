// Print preview for the case prints the print module renders (受理回执, 不予受理告知书, 办理记录):
// the A4 HTML is shown in a sandboxed frame, then printed with the system dialog or saved as PDF.
import { FilePdfOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Modal, Space, Spin } from 'antd';
import type { ButtonProps } from 'antd';
import { forwardRef, useRef, useState } from 'react';
import type { ApiInput } from '../../../api/contract';
import { api } from '../api';
import { showError, showSuccess } from '../notify';

type CasePrintKind = 'receipt' | 'refusal' | 'caseRecord';

type Preview = { html: string; title: string; landscape: boolean };

function downloadBase64(fileName: string, base64: string, type: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const PrintButton = forwardRef<HTMLButtonElement, { kind: CasePrintKind; caseId: string; label: string } & Omit<ButtonProps, 'onClick'>>(
  function PrintButton({ kind, caseId, label, ...buttonProps }, ref) {
    const [loading, setLoading] = useState(false);
    const [preview, setPreview] = useState<Preview | null>(null);
    const [saving, setSaving] = useState(false);
    const frame = useRef<HTMLIFrameElement>(null);
    const input: ApiInput<'renderPrint'> = { kind, caseId };

    async function open() {
      setLoading(true);
      try {
        setPreview(await api.renderPrint(input));
      } catch (e) {
        showError(e, '生成打印内容失败');
      } finally {
        setLoading(false);
      }
    }

    async function savePdf() {
      setSaving(true);
      try {
        const f = await api.savePdf(input);
        downloadBase64(f.fileName, f.base64, 'application/pdf');
        showSuccess(`已保存 ${f.fileName}`);
      } catch (e) {
        showError(e, '保存PDF失败');
      } finally {
        setSaving(false);
      }
    }

    return (
      <>
        <Button ref={ref} icon={<PrinterOutlined />} loading={loading} onClick={() => void open()} {...buttonProps}>
          {label}
        </Button>
        <Modal
          open={!!preview}
          title={preview?.title ?? label}
          width={preview?.landscape ? 1180 : 900}
          style={{ top: 12 }}
          onCancel={() => setPreview(null)}
          destroyOnHidden
          afterOpenChange={(o) => {
            if (o) document.querySelector<HTMLButtonElement>('[data-testid="print-now"]')?.focus();
          }}
          footer={
            <Space>
              <Button onClick={() => setPreview(null)}>关闭</Button>
              <Button icon={<FilePdfOutlined />} loading={saving} onClick={() => void savePdf()}>
                保存为PDF
              </Button>
              <Button
                type="primary"
                icon={<PrinterOutlined />}
                data-testid="print-now"
                onClick={() => {
                  const w = frame.current?.contentWindow;
                  if (!w) return;
                  w.focus();
                  w.print();
                }}
              >
                打印
              </Button>
            </Space>
          }
        >
          {preview ? (
            <iframe
              ref={frame}
              title={preview.title}
              srcDoc={preview.html}
              sandbox="allow-same-origin allow-modals"
              style={{ width: '100%', height: 'calc(100vh - 190px)', border: '1px solid #d0d5dd', background: '#e5e7eb' }}
            />
          ) : (
            <Spin />
          )}
        </Modal>
      </>
    );
  },
);
