import { sizeInWords } from './upload';
import type { DraftFile } from './use-uploads';

/** The files of a draft: progress while uploading, a clear reason when one failed, and remove/cancel. */
export function DraftFiles({
  files,
  onRemove,
  internal,
}: {
  files: DraftFile[];
  onRemove: (key: string) => void;
  internal: boolean;
}) {
  if (files.length === 0) return null;
  return (
    <ul
      className="draft-files"
      aria-label={internal ? 'Files for the internal note' : 'Files to send'}
    >
      {files.map((file) => (
        <li
          key={file.key}
          className={`draft-file draft-file--${file.state}`}
          data-testid="draft-file"
          data-state={file.state}
        >
          <span className="draft-file__name">{file.name}</span>
          <span className="draft-file__size">{sizeInWords(file.size)}</span>
          {internal ? <span className="tag tag--note">Internal</span> : null}
          {file.state === 'uploading' ? (
            <progress
              className="draft-file__progress"
              max={1}
              value={file.progress}
              aria-label={`Uploading ${file.name}`}
            />
          ) : null}
          {file.state === 'failed' ? (
            <span className="draft-file__error" role="alert">
              {file.error}
            </span>
          ) : null}
          <button
            type="button"
            className="link-button"
            onClick={() => onRemove(file.key)}
            aria-label={`${file.state === 'uploading' ? 'Cancel' : 'Remove'} ${file.name}`}
          >
            {file.state === 'uploading' ? 'Cancel' : 'Remove'}
          </button>
        </li>
      ))}
    </ul>
  );
}
