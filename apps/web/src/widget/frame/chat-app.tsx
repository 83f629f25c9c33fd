import { useCallback, useEffect, useState } from 'react';
import { createChatClient, errorCodeOf, type ChatConfig } from './chat-client';
import { ChatThread } from './chat-thread';
import { isHostMessage, postToHost } from './host-messages';
import { PrechatForm } from './prechat-form';
import { loadChat, storeChat, type SavedChat } from './saved-chat';

export type FrameParams = {
  siteKey: string;
  /** The host page's origin, as the loader saw it (checked by the server). */
  hostOrigin: string;
  pageUrl: string | null;
  userToken: string | null;
  /** The chat the loader kept for a frame without storage of its own. */
  hostChat: SavedChat | null;
};

/** The chat inside the iframe: header, then the pre-chat form or the live thread. */
export function ChatApp({ params }: { params: FrameParams }) {
  const [saved, setSaved] = useState<SavedChat | null>(() =>
    loadChat(params.siteKey, params.hostChat),
  );
  const keep = useCallback(
    (chat: SavedChat | null) => {
      if (!storeChat(params.siteKey, chat))
        postToHost(params.hostOrigin, { type: 'parley:store', chat });
      setSaved(chat);
    },
    [params.siteKey, params.hostOrigin],
  );
  // A socket signs in once, when it connects: a new guest token gets new clients.
  const [{ client, socket, token }, setClients] = useState(() =>
    createChatClient(saved?.guestToken ?? null),
  );
  const [config, setConfig] = useState<ChatConfig | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  // Outside an iframe (opened directly) the chat counts as open.
  const [visible, setVisible] = useState(window.parent === window);

  useEffect(() => () => void socket.close(), [socket]);

  useEffect(() => {
    client.widget.config
      .query({ siteKey: params.siteKey })
      .then(setConfig)
      .catch((error: unknown) => {
        if (errorCodeOf(error) === 'NOT_FOUND') setUnavailable(true);
      });
  }, [client, params.siteKey]);

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.source !== window.parent || event.origin !== params.hostOrigin) return;
      if (isHostMessage(event.data)) setVisible(event.data.open);
    }
    window.addEventListener('message', onMessage);
    postToHost(params.hostOrigin, { type: 'parley:ready' });
    return () => window.removeEventListener('message', onMessage);
  }, [params.hostOrigin]);

  useEffect(() => {
    postToHost(params.hostOrigin, { type: 'parley:chat', active: saved !== null });
  }, [saved, params.hostOrigin]);

  useEffect(() => {
    if (config) document.documentElement.style.setProperty('--chat-accent', config.color);
  }, [config]);

  const onUnread = useCallback(
    (count: number) => postToHost(params.hostOrigin, { type: 'parley:unread', count }),
    [params.hostOrigin],
  );

  const endChat = useCallback(() => {
    // The token stays (in memory): a new chat by the same visitor keeps the guest session.
    keep(null);
  }, [keep]);

  const minimise = () => postToHost(params.hostOrigin, { type: 'parley:minimise' });

  return (
    <div
      className="chat"
      onKeyDown={(event) => {
        if (event.key === 'Escape') minimise();
      }}
    >
      <header className="chat-header">
        <div>
          <h1 className="chat-header__title">{config?.title ?? 'Chat'}</h1>
          {config ? (
            <p className="chat-header__status" data-testid="chat-status">
              {config.agentsOnline
                ? 'We’re online'
                : 'We’re away — leave a message and we’ll reply here'}
            </p>
          ) : null}
        </div>
        {window.parent !== window ? (
          <button
            type="button"
            className="chat-header__close"
            onClick={minimise}
            aria-label="Minimise chat"
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path d="M5 12h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
          </button>
        ) : null}
      </header>
      <main className="chat-body">
        {unavailable ? (
          <p className="chat-empty">This chat is not available.</p>
        ) : !config ? (
          <p className="chat-empty" role="status">
            Loading…
          </p>
        ) : saved ? (
          <ChatThread
            key={saved.ticketId}
            client={client}
            token={token}
            ticketId={saved.ticketId}
            visible={visible}
            onUnread={onUnread}
            onEnd={endChat}
          />
        ) : (
          <>
            {config.greeting ? <p className="chat-greeting">{config.greeting}</p> : null}
            <PrechatForm
              client={client}
              config={config}
              hostOrigin={params.hostOrigin}
              pageUrl={params.pageUrl}
              userToken={params.userToken}
              onStarted={(started) => {
                const chat = { guestToken: started.guestToken, ticketId: started.ticket.id };
                if (token !== chat.guestToken) {
                  void socket.close();
                  setClients(createChatClient(chat.guestToken));
                }
                keep(chat);
              }}
            />
          </>
        )}
      </main>
    </div>
  );
}
