// What a list or page shows when it could not be read: never an empty list (which reads as lost data)
// but what went wrong — the service unreachable, or the service's own message — and a 重试 button.
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Result } from 'antd';
import { errorText } from '../notify';
import { isUnreachable, UNREACHABLE_DETAIL, UNREACHABLE_TITLE } from '../serviceStatus';

function texts(error: unknown, what: string): { title: string; detail: string } {
  return isUnreachable(error)
    ? { title: `${what}失败：${UNREACHABLE_TITLE}`, detail: UNREACHABLE_DETAIL }
    : { title: `${what}失败`, detail: errorText(error) };
}

/** In place of a table's or page's content. */
export function LoadFailed({ error, what, onRetry }: { error: unknown; what: string; onRetry: () => void }) {
  const { title, detail } = texts(error, what);
  return (
    <div data-testid="load-failed" role="alert">
      <Result
        status="warning"
        title={title}
        subTitle={detail}
        extra={
          <Button type="primary" icon={<ReloadOutlined />} onClick={onRetry}>
            重试
          </Button>
        }
      />
    </div>
  );
}

/** Above content that is still shown from an earlier read (it may be out of date). */
export function LoadFailedBar({ error, what, onRetry }: { error: unknown; what: string; onRetry: () => void }) {
  const { title, detail } = texts(error, what);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="load-failed"
      style={{ marginBottom: 12 }}
      message={`${title}（下面显示的是之前读取的内容）`}
      description={detail}
      action={
        <Button icon={<ReloadOutlined />} onClick={onRetry}>
          重试
        </Button>
      }
    />
  );
}
