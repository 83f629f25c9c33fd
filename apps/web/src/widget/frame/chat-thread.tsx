import { isFinished } from '@parley/contract';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { DraftFiles } from '../../features/attachments/draft-files';
import type { UploadedFile } from '../../features/attachments/upload';
import { useUploads } from '../../features/attachments/use-uploads';
import { randomId } from '../../lib/uuid';
import type { ChatClient, ChatMessage } from './chat-client';
import { BotAuthor, BotBody, BotChips } from './chat-bot';
import { ChatFiles } from './chat-files';
import { useChat } from './use-chat';

type Props = {
  client: ChatClient;
  /** The guest token: uploads and file downloads carry it (the frame has no cookie). */
  token: string | null;
  ticketId: string;
  /** The panel is open on the host page (not minimised). */
  visible: boolean;
  onUnread: (count: number) => void;
  onEnd: () => void;
};

type Row =
  | { kind: 'message'; message: ChatMessage; mine: boolean; seen: boolean }
  | { kind: 'notice'; key: string; text: string };

/** Messages with "X joined" before an agent's first reply, and "Seen" under the visitor's last read message. */
function rowsOf(messages: ChatMessage[], intro: ChatMessage | null, seenSeq: number): Row[] {
  const all = intro ? [intro, ...messages] : messages;
  const joined = new Set<string>();
  const lastMineSeen = [...all]
    .reverse()
    .find((m) => m.author.role === 'customer' && m.seq <= seenSeq);
  const rows: Row[] = [];
  for (const message of all) {
    if (message.author.role === 'system') {
      const agent = /^(.*) joined the conversation/.exec(message.body)?.[1];
      if (agent) joined.add(agent);
      rows.push({ kind: 'notice', key: message.id, text: message.body });
      continue;
    }
    const mine = message.author.role === 'customer';
    // The bot answers first; "joined" is for the people who come after it.
    if (!mine && message.author.role !== 'bot' && !joined.has(message.author.name)) {
      joined.add(message.author.name);
      rows.push({
        kind: 'notice',
        key: `joined-${message.id}`,
        text: `${message.author.name} joined the chat`,
      });
    }
    rows.push({
      kind: 'message',
      message,
      mine,
      seen: mine && message === lastMineSeen && seenSeq > 0,
    });
  }
  return rows;
}

const renewTypingMs = 3_000;
const typingIdleMs = 4_000;

export function ChatThread({ client, token, ticketId, visible, onUnread, onEnd }: Props) {
  const chat = useChat(client, ticketId);
  const [draft, setDraft] = useState('');
  const files = useUploads(token);
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<
    { clientId: string; body: string; files: UploadedFile[]; failed: boolean }[]
  >([]);
  const listRef = useRef<HTMLOListElement>(null);
  const [readSeq, setReadSeq] = useState(0);
  const marking = useRef(0);
  const typingSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inputId = useId();
  const input = useRef<HTMLTextAreaElement>(null);

  const ticket = chat.ticket;
  // The first message is the ticket's description: shown as the visitor's first bubble.
  const intro: ChatMessage | null = ticket
    ? {
        id: `intro-${ticket.id}`,
        ticketId: ticket.id,
        seq: 0,
        author: { id: ticket.customer.id, name: ticket.customer.name, role: 'customer' },
        body: ticket.description,
        internal: false,
        createdAt: ticket.createdAt,
        clientId: null,
        attachments: ticket.attachments,
        metadata: null,
      }
    : null;
  const rows = rowsOf(chat.messages, intro, chat.seenSeq);
  const lastSeq = chat.messages.at(-1)?.seq ?? 0;
  const unread = chat.messages.filter(
    (m) => m.author.role !== 'customer' && m.author.role !== 'system' && m.seq > readSeq,
  ).length;

  // Read while visible; otherwise count what came in for the badge.
  useEffect(() => {
    if (
      visible &&
      lastSeq > readSeq &&
      lastSeq > marking.current &&
      document.visibilityState === 'visible'
    ) {
      marking.current = lastSeq;
      client.messages.markRead.mutate({ ticketId, seq: lastSeq }).then(
        () => setReadSeq((seq) => Math.max(seq, lastSeq)),
        () => {
          marking.current = 0;
        },
      );
    }
  }, [visible, lastSeq, readSeq, client, ticketId]);

  useEffect(() => onUnread(visible ? 0 : unread), [visible, unread, onUnread]);

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [rows.length, pending.length, chat.typing.length]);

  useEffect(() => {
    if (chat.lost) onEnd();
  }, [chat.lost, onEnd]);

  function stopTyping() {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    if (typingSent.current === 0) return;
    typingSent.current = 0;
    void client.realtime.typing.mutate({ ticketId, typing: false }).catch(() => {});
  }

  function typed() {
    const now = Date.now();
    if (now - typingSent.current > renewTypingMs) {
      typingSent.current = now;
      void client.realtime.typing.mutate({ ticketId, typing: true }).catch(() => {});
    }
    if (idle.current) clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, typingIdleMs);
  }

  async function send(body: string, clientId: string, attached: UploadedFile[] = []) {
    setPending((p) => [
      ...p.filter((x) => x.clientId !== clientId),
      { clientId, body, files: attached, failed: false },
    ]);
    try {
      await client.messages.send.mutate({
        ticketId,
        body,
        clientId,
        ...(attached.length ? { attachmentIds: attached.map((f) => f.id) } : {}),
      });
      chat.refresh();
      setPending((p) => p.filter((x) => x.clientId !== clientId));
    } catch {
      setPending((p) => p.map((x) => (x.clientId === clientId ? { ...x, failed: true } : x)));
    }
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const body = draft.trim();
    // A message may be files only; not while one is still uploading.
    if ((!body && files.ready.length === 0) || files.uploading) return;
    const attached = files.ready;
    setDraft('');
    files.clear();
    stopTyping();
    void send(body, randomId(), attached);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  }

  const sentIds = new Set(chat.messages.map((m) => m.clientId));
  const waiting = pending.filter((p) => !sentIds.has(p.clientId));
  const finished = ticket ? isFinished(ticket.status) : false;
  const latest = chat.messages.at(-1);
  const latestBot = latest?.author.role === 'bot' ? latest : null;

  return (
    <div className="chat-thread">
      <ol
        className="chat-messages"
        ref={listRef}
        aria-label="Conversation"
        aria-live="polite"
        aria-relevant="additions"
      >
        {rows.map((row) =>
          row.kind === 'notice' ? (
            <li key={row.key} className="chat-notice" data-testid="chat-notice">
              {row.text}
            </li>
          ) : (
            <li
              key={row.message.id}
              className={`chat-bubble ${row.mine ? 'chat-bubble--mine' : 'chat-bubble--theirs'}`}
              data-testid="chat-message"
            >
              <span className="visually-hidden">
                {row.mine
                  ? 'You'
                  : row.message.author.role === 'bot'
                    ? `${row.message.author.name} (bot)`
                    : row.message.author.name}
                :{' '}
              </span>
              {row.mine ? null : row.message.author.role === 'bot' ? (
                <BotAuthor name={row.message.author.name} />
              ) : (
                <span className="chat-bubble__author" aria-hidden="true">
                  {row.message.author.name}
                </span>
              )}
              {row.message.author.role === 'bot' ? (
                <BotBody body={row.message.body} />
              ) : (
                <span className="chat-bubble__body">{row.message.body}</span>
              )}
              <ChatFiles files={row.message.attachments} token={token} />
              {row.seen ? (
                <span className="chat-bubble__seen" data-testid="chat-seen">
                  Seen
                </span>
              ) : null}
            </li>
          ),
        )}
        {waiting.map((p) => (
          <li key={p.clientId} className="chat-bubble chat-bubble--mine chat-bubble--pending">
            <span className="chat-bubble__body">{p.body}</span>
            {p.files.length ? (
              <span className="chat-bubble__seen">{p.files.map((f) => f.name).join(', ')}</span>
            ) : null}
            {p.failed ? (
              <button
                type="button"
                className="chat-link"
                onClick={() => void send(p.body, p.clientId, p.files)}
              >
                Not sent — retry
              </button>
            ) : (
              <span className="chat-bubble__seen">Sending…</span>
            )}
          </li>
        ))}
      </ol>
      {latestBot && !finished && waiting.length === 0 ? (
        <BotChips
          message={latestBot}
          onPick={(text) => {
            // The chips go once the answer comes: the message box keeps the focus.
            input.current?.focus();
            void send(text, randomId());
          }}
        />
      ) : null}
      <p className="chat-typing" aria-live="polite" data-testid="chat-typing">
        {chat.typing.length ? `${chat.typing.map((p) => p.name).join(', ')} is typing…` : ''}
      </p>
      {finished ? (
        <ChatEnded
          client={client}
          ticketId={ticketId}
          rated={ticket?.rating?.score ?? null}
          onRated={chat.refresh}
          onNewChat={onEnd}
        />
      ) : (
        <form
          className="chat-composer"
          onSubmit={submit}
          onDragOver={(event) => {
            if (!event.dataTransfer.types.includes('Files')) return;
            event.preventDefault();
          }}
          onDrop={(event) => {
            if (event.dataTransfer.files.length === 0) return;
            event.preventDefault();
            files.add(event.dataTransfer.files);
          }}
        >
          <DraftFiles files={files.files} onRemove={files.remove} internal={false} />
          <label htmlFor={inputId} className="visually-hidden">
            Your message
          </label>
          <textarea
            ref={input}
            id={inputId}
            rows={2}
            value={draft}
            maxLength={10_000}
            placeholder="Write a message…"
            onChange={(e) => {
              setDraft(e.target.value);
              if (e.target.value.trim()) typed();
              else stopTyping();
            }}
            onBlur={stopTyping}
            onKeyDown={onKeyDown}
            onPaste={(event) => {
              // A pasted screenshot (or copied files) becomes an attachment; text pastes as usual.
              const pasted = [...event.clipboardData.files];
              if (pasted.length === 0) return;
              event.preventDefault();
              files.add(pasted);
            }}
          />
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="chat-attach-input"
            onChange={(event) => {
              if (event.target.files) files.add(event.target.files);
              event.target.value = '';
            }}
          />
          <button
            type="button"
            className="chat-attach"
            onClick={() => fileInput.current?.click()}
            aria-label="Attach files"
            title="Attach files (or paste or drop them here)"
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path
                d="M21 11.5l-8.6 8.6a5 5 0 01-7.1-7.1l8.6-8.6a3.3 3.3 0 014.7 4.7l-8.6 8.6a1.7 1.7 0 01-2.4-2.4l7.9-7.9"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
              />
            </svg>
          </button>
          <button
            type="submit"
            className="chat-button"
            disabled={(!draft.trim() && files.ready.length === 0) || files.uploading}
          >
            Send
          </button>
        </form>
      )}
      {!finished ? (
        <button
          type="button"
          className="chat-link chat-end"
          onClick={() =>
            void client.tickets.close.mutate({ ticketId }).then(chat.refresh, () => {})
          }
        >
          End chat
        </button>
      ) : null}
    </div>
  );
}

function ChatEnded(props: {
  client: ChatClient;
  ticketId: string;
  rated: number | null;
  onRated: () => void;
  onNewChat: () => void;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="chat-ended">
      <p>This chat has ended.</p>
      {props.rated ? (
        <p>Thanks for rating it {props.rated} of 5.</p>
      ) : (
        <div role="group" aria-label="Rate this chat" className="chat-rating">
          {[1, 2, 3, 4, 5].map((score) => (
            <button
              key={score}
              type="button"
              className="chat-rating__star"
              disabled={busy}
              aria-label={`${score} of 5`}
              onClick={() => {
                setBusy(true);
                void props.client.tickets.rate
                  .mutate({ ticketId: props.ticketId, score })
                  .then(props.onRated, () => {})
                  .finally(() => setBusy(false));
              }}
            >
              ★
            </button>
          ))}
        </div>
      )}
      <button type="button" className="chat-button" onClick={props.onNewChat}>
        Start a new chat
      </button>
    </div>
  );
}
