import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatApp, type FrameParams } from './chat-app';
import { parseChat } from './saved-chat';
import './chat.css';

/**
 * `/widget/frame?site=KEY&host=ORIGIN&page=URL#user=TOKEN&chat=JSON`: the user token and
 * a chat the host kept travel in the fragment, which no server (or log) sees.
 */
function readParams(): FrameParams | null {
  const query = new URLSearchParams(location.search);
  const hash = new URLSearchParams(location.hash.slice(1));
  const siteKey = query.get('site');
  let hostOrigin: string | null;
  try {
    hostOrigin = new URL(query.get('host') ?? '').origin;
  } catch {
    hostOrigin = null;
  }
  if (!siteKey || !hostOrigin || hostOrigin === 'null') return null;
  return {
    siteKey,
    hostOrigin,
    pageUrl: query.get('page'),
    userToken: hash.get('user'),
    hostChat: parseChat(hash.get('chat')),
  };
}

const root = document.getElementById('chat');
const params = readParams();
if (root) {
  createRoot(root).render(
    <StrictMode>
      {params ? (
        <ChatApp params={params} />
      ) : (
        <p className="chat-empty">This chat link is incomplete.</p>
      )}
    </StrictMode>,
  );
}
