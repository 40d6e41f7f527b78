// The page for an address no route knows (a stale bookmark, a mistyped link).
import { Button, Result } from 'antd';
import { href } from './routing';

export function NotFound({ home, homeLabel }: { home: string; homeLabel: string }) {
  return (
    <Result
      status="404"
      title="没有这个页面"
      extra={
        <Button type="primary" href={href(home)}>
          {homeLabel}
        </Button>
      }
    />
  );
}
