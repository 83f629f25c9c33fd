import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { EventsGroup } from './events-group';
import { MessageItem, PendingItem, type Viewpoint } from './message-item';
import type { ThreadRow } from './thread-rows';

type Props = {
  rows: ThreadRow[];
  loaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => Promise<void>;
  onRetry: (clientId: string) => void;
  viewpoint: Viewpoint;
  /** Changes whenever the viewer sends: the list then jumps to the end. */
  sentCount: number;
  /** The opening of the conversation (the ticket description), shown once the top is reached. */
  intro?: ReactNode;
};

type ListRow = ThreadRow | { kind: 'intro'; key: 'intro' };

const estimate = (row: ListRow | undefined) => {
  if (row?.kind === 'intro') return 160;
  const base = row?.kind === 'message' && row.continued ? 40 : 84;
  return row && 'day' in row && row.day ? base + 44 : base;
};

/**
 * The conversation, virtualised so a 5,000-message thread renders only what is on
 * screen. Anchored to the end like a chat: it opens at the newest message, follows new
 * ones while you are at the bottom, and keeps your place when older pages load above.
 */
export function ThreadView(props: Props) {
  const showIntro = Boolean(props.intro) && props.loaded && !props.hasOlder;
  const rows: ListRow[] = useMemo(
    () => (showIntro ? [{ kind: 'intro', key: 'intro' } as const, ...props.rows] : props.rows),
    [showIntro, props.rows],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  // Which folded runs of changes the reader opened (by row key; kept while scrolled away).
  const [openGroups, setOpenGroups] = useState<ReadonlySet<string>>(() => new Set());
  const toggleGroup = useCallback(
    (key: string) =>
      setOpenGroups((open) => {
        const next = new Set(open);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimate(rows[index]),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 10,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 64,
  });

  // Open at the newest message once the first page is in.
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current || !props.loaded || rows.length === 0) return;
    opened.current = true;
    virtualizer.scrollToEnd();
  }, [props.loaded, rows.length, virtualizer]);

  useEffect(() => {
    if (props.sentCount > 0) virtualizer.scrollToEnd();
  }, [props.sentCount, virtualizer]);

  // Older pages load as the reader nears the top (or when the first page does not fill the view).
  const { hasOlder, loadingOlder, onLoadOlder } = props;
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || !props.loaded) return;
    const check = () => {
      if (hasOlder && !loadingOlder && element.scrollTop < 300) void onLoadOlder();
    };
    check();
    element.addEventListener('scroll', check, { passive: true });
    return () => element.removeEventListener('scroll', check);
  }, [hasOlder, loadingOlder, onLoadOlder, props.loaded]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="thread-frame">
      {loadingOlder ? (
        <div className="thread__older" role="status">
          Loading earlier messages…
        </div>
      ) : null}
      <div
        ref={scrollRef}
        className="thread"
        tabIndex={0}
        role="log"
        aria-label="Conversation"
        data-testid="thread"
      >
        <div className="thread__canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="thread__row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.kind !== 'intro' && row.day ? (
                  <div className="thread__day">
                    <span>{row.day}</span>
                  </div>
                ) : null}
                {row.kind === 'intro' ? (
                  props.intro
                ) : row.kind === 'events' ? (
                  <EventsGroup
                    messages={row.messages}
                    expanded={openGroups.has(row.key)}
                    onToggle={() => toggleGroup(row.key)}
                  />
                ) : row.kind === 'message' ? (
                  <MessageItem
                    message={row.message}
                    continued={row.continued}
                    seen={row.seen}
                    viewpoint={props.viewpoint}
                  />
                ) : (
                  <PendingItem
                    pending={row.pending}
                    viewpoint={props.viewpoint}
                    onRetry={props.onRetry}
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
