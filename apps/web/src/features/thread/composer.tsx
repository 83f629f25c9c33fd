import { LockIcon, PaperclipIcon, ReplyIcon } from '../../components/icons';
import { useId, useRef, useState, type DragEvent, type KeyboardEvent, type RefObject } from 'react';
import { DraftFiles } from '../attachments/draft-files';
import type { UploadedFile } from '../attachments/upload';
import { useUploads } from '../attachments/use-uploads';

export type ComposerMode = 'reply' | 'note';

type Props = {
  onSend: (body: string, mode: ComposerMode, files: UploadedFile[]) => void;
  /** Called as the person types; `internal` when it is a note (only agents are told). */
  onTyping?: (internal: boolean) => void;
  onStopTyping?: () => void;
  /** Agents get the reply / internal-note switch. */
  allowNotes?: boolean;
  mode?: ComposerMode;
  onModeChange?: (mode: ComposerMode) => void;
  disabledReason?: string | null;
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
  placeholder?: string;
};

const maxLength = 10_000;
/** The counter appears this close to the limit. */
const warnWithin = 500;
const count = new Intl.NumberFormat('en');

/** Near or over the limit, how the length stands; null while there is room to spare. */
function lengthNotice(length: number): { text: string; over: boolean } | null {
  if (length > maxLength) {
    return {
      text: `${count.format(length - maxLength)} characters over the limit of ${count.format(maxLength)}. Shorten the message to send it.`,
      over: true,
    };
  }
  if (length > maxLength - warnWithin) {
    return { text: `${count.format(maxLength - length)} characters left`, over: false };
  }
  return null;
}

/**
 * Enter sends, Shift+Enter starts a new line. For agents a two-way switch makes the
 * difference between a reply (the customer sees it) and an internal note (only agents
 * do) impossible to miss: the note mode changes colour, label, icon and button.
 * Each mode keeps its own draft, so switching never carries a note into the reply box.
 * Nothing is cut: near the limit a counter shows what is left, and over it, by how much.
 */
export function Composer({
  onSend,
  onTyping,
  onStopTyping,
  allowNotes = false,
  mode: requestedMode = 'reply',
  onModeChange,
  disabledReason = null,
  textareaRef,
  placeholder = 'Write a message…',
}: Props) {
  const [drafts, setDrafts] = useState<Record<ComposerMode, string>>({ reply: '', note: '' });
  const id = useId();
  const mode = allowNotes ? requestedMode : 'reply';
  const isNote = mode === 'note';
  const body = drafts[mode];
  const trimmed = body.trim();
  const disabled = Boolean(disabledReason);
  const notice = lengthNotice(trimmed.length);
  const setBody = (next: string) => setDrafts((all) => ({ ...all, [mode]: next }));
  // Each mode keeps its own files too: a note's files never slip into a reply.
  const replyFiles = useUploads();
  const noteFiles = useUploads();
  const files = isNote ? noteFiles : replyFiles;
  const failed = files.files.some((f) => f.state === 'failed');
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const canSend =
    (trimmed.length > 0 || files.ready.length > 0) &&
    !disabled &&
    !notice?.over &&
    !files.uploading &&
    !failed;

  function send() {
    if (!canSend) return;
    onSend(trimmed, mode, files.ready);
    onStopTyping?.();
    setBody('');
    files.clear();
  }

  const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === 'Escape') {
      event.currentTarget.blur();
    }
  }

  const label = isNote
    ? 'Internal note (only agents can see this)'
    : allowNotes
      ? 'Reply to the customer'
      : 'Message';
  return (
    <div
      className={[
        'composer',
        isNote ? 'composer--note' : '',
        dragging ? 'composer--dropping' : '',
      ].join(' ')}
      data-mode={mode}
      onDragOver={(event) => {
        if (disabled || !hasFiles(event)) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        setDragging(false);
        if (disabled || !hasFiles(event)) return;
        event.preventDefault();
        files.add(event.dataTransfer.files);
      }}
    >
      {allowNotes ? (
        <div className="composer__modes" role="radiogroup" aria-label="Message type">
          <button
            type="button"
            role="radio"
            aria-checked={!isNote}
            className={!isNote ? 'composer__mode composer__mode--active' : 'composer__mode'}
            onClick={() => onModeChange?.('reply')}
          >
            <ReplyIcon size={14} /> Reply
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={isNote}
            className={
              isNote
                ? 'composer__mode composer__mode--active composer__mode--note'
                : 'composer__mode'
            }
            onClick={() => onModeChange?.('note')}
          >
            <LockIcon size={14} /> Internal note
          </button>
          {isNote ? (
            <span className="composer__warning">Only agents will see this note</span>
          ) : null}
        </div>
      ) : null}
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        ref={textareaRef}
        className="composer__input"
        value={body}
        rows={3}
        disabled={disabled}
        aria-invalid={notice?.over ? true : undefined}
        aria-describedby={`${id}-length`}
        placeholder={
          disabledReason ?? (isNote ? 'Write an internal note for your team…' : placeholder)
        }
        onChange={(event) => {
          setBody(event.target.value);
          if (event.target.value.trim()) onTyping?.(isNote);
        }}
        onBlur={() => onStopTyping?.()}
        onKeyDown={onKeyDown}
        onPaste={(event) => {
          // A pasted screenshot (or copied files) becomes an attachment; text pastes as usual.
          const pasted = [...event.clipboardData.files];
          if (pasted.length === 0 || disabled) return;
          event.preventDefault();
          files.add(pasted);
        }}
      />
      <DraftFiles files={files.files} onRemove={files.remove} internal={isNote} />
      <div className="composer__bar">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="attach-input"
          onChange={(event) => {
            if (event.target.files) files.add(event.target.files);
            event.target.value = '';
          }}
        />
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => fileInput.current?.click()}
          disabled={disabled}
          aria-label={isNote ? 'Attach files to the note' : 'Attach files'}
          title="Attach files (or paste or drop them here)"
        >
          <PaperclipIcon size={16} />
        </button>
        <span className="composer__hint">
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
        </span>
        <span
          id={`${id}-length`}
          className={notice?.over ? 'composer__length composer__length--over' : 'composer__length'}
          aria-live="polite"
        >
          {notice?.text}
        </span>
        <button
          type="button"
          className={isNote ? 'button button--note' : 'button button--primary'}
          onClick={send}
          disabled={!canSend}
        >
          {isNote ? 'Add internal note' : allowNotes ? 'Send reply' : 'Send'}
        </button>
      </div>
    </div>
  );
}
