import type { Viewer } from '../realtime/stream-items';

function names(users: Viewer[]): string {
  const list = users.map((user) => user.name);
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/** "Sam is typing…" with animated dots; a polite live region, so screen readers hear it. */
export function TypingIndicator({ users }: { users: Viewer[] }) {
  return (
    <div className="typing" aria-live="polite" data-testid="typing-indicator">
      {users.length > 0 ? (
        <>
          <span className="typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span>
            {names(users)} {users.length === 1 ? 'is' : 'are'} typing…
          </span>
        </>
      ) : null}
    </div>
  );
}
