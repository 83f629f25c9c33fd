import { useEffect, useRef, useState } from 'react';
import { sizeInWords, typeLabel } from '../../features/attachments/upload';
import type { ChatMessage } from './chat-client';

type ChatFile = ChatMessage['attachments'][number];

/** Object URLs of the files this frame fetched, by path: each file is fetched once. */
const fetched = new Map<string, Promise<string>>();

/**
 * A chat file as an object URL. The frame has no cookie (it is a third party on the host
 * page), so it fetches files with its guest token as `Authorization: Bearer`; the token
 * never goes into a URL, so no Referer, history or log can carry it, and the server
 * answers only files of this guest session's chats (never an internal note's).
 */
function fileObjectUrl(token: string, url: string): Promise<string> {
  let found = fetched.get(url);
  if (!found) {
    found = fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      credentials: 'omit',
    }).then(async (response) => {
      if (!response.ok) throw new Error(`The file could not be loaded (${response.status})`);
      return URL.createObjectURL(await response.blob());
    });
    found.catch(() => fetched.delete(url));
    fetched.set(url, found);
  }
  return found;
}

function useObjectUrl(token: string, url: string | undefined): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    fileObjectUrl(token, url).then(
      (objectUrl) => live && setSrc(objectUrl),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [token, url]);
  return src;
}

/** Saves a file under its name (a download, never opened in the frame). */
async function save(token: string, file: ChatFile): Promise<void> {
  const link = document.createElement('a');
  link.href = await fileObjectUrl(token, file.url);
  link.download = file.name;
  link.click();
}

/**
 * A message's files in the chat: images as thumbnails that open full size, other files
 * as a chip (type, name, size) that downloads.
 */
export function ChatFiles({ files, token }: { files: ChatFile[]; token: string | null }) {
  const [open, setOpen] = useState<ChatFile | null>(null);
  if (files.length === 0 || !token) return null;
  return (
    <span className="chat-files" data-testid="chat-files">
      {files.map((file) =>
        file.thumbnailUrl ? (
          <ChatThumbnail key={file.id} file={file} token={token} onOpen={() => setOpen(file)} />
        ) : (
          <ChatFileChip key={file.id} file={file} token={token} />
        ),
      )}
      {open ? <ChatLightbox file={open} token={token} onClose={() => setOpen(null)} /> : null}
    </span>
  );
}

function ChatThumbnail(props: { file: ChatFile; token: string; onOpen: () => void }) {
  const { file } = props;
  const src = useObjectUrl(props.token, file.thumbnailUrl);
  return (
    <button
      type="button"
      className="chat-file chat-file--image"
      onClick={props.onOpen}
      aria-label={`Open image ${file.name}, ${sizeInWords(file.size)}`}
    >
      {src ? (
        <img src={src} alt={file.name} data-testid="chat-thumbnail" />
      ) : (
        <span className="chat-file__name">{file.name}</span>
      )}
    </button>
  );
}

function ChatFileChip({ file, token }: { file: ChatFile; token: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const type = typeLabel(file.contentType);
  const detail = state === 'failed' ? 'not loaded, try again' : sizeInWords(file.size);
  return (
    <button
      type="button"
      className="chat-file chat-file--chip"
      aria-busy={state === 'busy'}
      // The visible words, in order, after "Download" (what a screen reader says).
      aria-label={`Download ${file.name} ${type} ${detail}`}
      onClick={() => {
        setState('busy');
        save(token, file).then(
          () => setState('idle'),
          () => setState('failed'),
        );
      }}
    >
      <span className="chat-file__name">{file.name}</span>{' '}
      <span className="chat-file__type">{type}</span>{' '}
      <span className="chat-file__size">{detail}</span>
    </button>
  );
}

function ChatLightbox(props: { file: ChatFile; token: string; onClose: () => void }) {
  const { file, onClose } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const src = useObjectUrl(props.token, file.url);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="chat-lightbox"
      aria-label={`Image ${file.name}`}
      onClose={onClose}
      // Esc closes the image, not the whole chat.
      onKeyDown={(event) => {
        if (event.key === 'Escape') event.stopPropagation();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) dialog.current?.close();
      }}
    >
      {src ? (
        <img src={src} alt={file.name} data-testid="chat-lightbox-image" />
      ) : (
        <p role="status">Loading…</p>
      )}
      <p className="chat-lightbox__bar">
        <button type="button" className="chat-link" onClick={() => void save(props.token, file)}>
          Download
        </button>
        <button type="button" className="chat-link" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </p>
    </dialog>
  );
}
