// A banner over every page while the local service cannot be reached, so a failed call anywhere
// reads as "the program is not answering", not as missing data. It goes away with the next answer.
import { DisconnectOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useState } from 'react';
import { UNREACHABLE_DETAIL, UNREACHABLE_TITLE, useServiceUnreachable } from '../serviceStatus';

export function ServiceBanner({ onRetry }: { onRetry: () => Promise<unknown> }) {
  const unreachable = useServiceUnreachable();
  const [trying, setTrying] = useState(false);
  if (!unreachable) return null;
  return (
    <Alert
      type="error"
      showIcon
      icon={<DisconnectOutlined />}
      role="alert"
      data-testid="service-unreachable"
      style={{ marginBottom: 12 }}
      message={<b>{UNREACHABLE_TITLE}</b>}
      description={UNREACHABLE_DETAIL}
      action={
        <Button
          type="primary"
          icon={<ReloadOutlined />}
          loading={trying}
          onClick={() => {
            setTrying(true);
            void onRetry()
              .catch(() => undefined)
              .finally(() => setTrying(false));
          }}
        >
          重试
        </Button>
      }
    />
  );
}
