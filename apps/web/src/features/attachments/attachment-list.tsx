import { useRef, useState } from 'react';
import type { Message } from '../../api/types';
import { sizeInWords, typeLabel } from './upload';

type Attachment = Message['attachments'][number];

/**
 * The files of a message or a ticket's description: images as thumbnails that open full
 * size in a lightbox, other files as a chip (type, name, size) that downloads.
 */
export function AttachmentList({ files }: { files: Attachment[] }) {
  const [open, setOpen] = useState<Attachment | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  if (files.length === 0) return null;
  const show = (file: Attachment) => {
    setOpen(file);
    dialog.current?.showModal();
  };
  return (
    <div className="attachments" data-testid="attachments">
      {files.map((file) =>
        file.thumbnailUrl ? (
          <button
            key={file.id}
            type="button"
            className="attachment attachment--image"
            onClick={() => show(file)}
            aria-label={`Open image ${file.name}, ${sizeInWords(file.size)}`}
          >
            <img
              src={file.thumbnailUrl}
              alt={file.name}
              loading="lazy"
              width={file.width && file.height ? Math.min(200, file.width) : undefined}
            />
          </button>
        ) : (
          <a
            key={file.id}
            className="attachment attachment--file"
            href={file.url}
            download={file.name}
            // The visible words, in reading order, after "Download" (the type shows first: CSS order).
            aria-label={`Download ${file.name} ${typeLabel(file.contentType)} ${sizeInWords(file.size)}`}
          >
            <span className="attachment__name">{file.name}</span>{' '}
            <span className="attachment__type">{typeLabel(file.contentType)}</span>{' '}
            <span className="attachment__size">{sizeInWords(file.size)}</span>
          </a>
        ),
      )}
      <dialog
        ref={dialog}
        className="lightbox"
        aria-label={open ? `Image ${open.name}` : 'Image'}
        onClose={() => setOpen(null)}
        onClick={(event) => {
          if (event.target === event.currentTarget) dialog.current?.close();
        }}
      >
        {open ? (
          <figure className="lightbox__figure">
            <img src={open.url} alt={open.name} data-testid="lightbox-image" />
            <figcaption>
              {open.name} · {sizeInWords(open.size)} ·{' '}
              <a href={open.url} download={open.name}>
                Download
              </a>{' '}
              ·{' '}
              <button type="button" className="link-button" onClick={() => dialog.current?.close()}>
                Close
              </button>
            </figcaption>
          </figure>
        ) : null}
      </dialog>
    </div>
  );
}
