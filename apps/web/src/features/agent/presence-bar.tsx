import { EyeIcon } from '../../components/icons';
import type { Viewer } from '../realtime/stream-items';

const list = (users: Viewer[]) => users.map((u) => u.name).join(', ');

/**
 * Other agents on this ticket, so two people do not answer at once: who is viewing,
 * and louder, who is typing.
 */
export function PresenceBar({ viewers, typing }: { viewers: Viewer[]; typing: Viewer[] }) {
  const agentsTyping = typing.filter((u) => u.role !== 'customer');
  const agentsViewing = viewers.filter(
    (u) => u.role !== 'customer' && !agentsTyping.some((t) => t.id === u.id),
  );
  if (agentsTyping.length === 0 && agentsViewing.length === 0) return null;
  return (
    <div className="presence" role="status" data-testid="presence">
      {agentsTyping.length > 0 ? (
        <span className="presence__item presence__item--typing">
          <span className="typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {list(agentsTyping)} {agentsTyping.length === 1 ? 'is' : 'are'} typing
        </span>
      ) : null}
      {agentsViewing.length > 0 ? (
        <span className="presence__item">
          <EyeIcon size={14} />
          {list(agentsViewing)} {agentsViewing.length === 1 ? 'is' : 'are'} also viewing
        </span>
      ) : null}
    </div>
  );
}
