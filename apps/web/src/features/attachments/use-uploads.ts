import { useCallback, useRef, useState } from 'react';
import { randomId } from '../../lib/uuid';
import { uploadFile, UploadError, type UploadHandle, type UploadedFile } from './upload';

/** A file in the composer: uploading (with progress), ready to send, or failed with a reason. */
export type DraftFile = {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: 'uploading' | 'ready' | 'failed';
  error?: string;
  uploaded?: UploadedFile;
};

/** Most files one message carries (the server refuses more). */
export const maxFilesPerMessage = 10;

/**
 * The files of one draft: each uploads as soon as it is added, and can be removed or
 * cancelled. `token`: upload as a chat-widget guest (Bearer) instead of with the cookie.
 */
export function useUploads(token: string | null = null) {
  const [files, setFiles] = useState<DraftFile[]>([]);
  const handles = useRef(new Map<string, UploadHandle>());

  const patch = (key: string, change: Partial<DraftFile>) =>
    setFiles((all) => all.map((f) => (f.key === key ? { ...f, ...change } : f)));

  // How many files the draft holds, also between a call and the next render.
  const count = useRef(0);

  const add = useCallback(
    (incoming: Iterable<File>) => {
      const list = [...incoming];
      const taken = list.slice(0, Math.max(0, maxFilesPerMessage - count.current));
      const refused: DraftFile[] = list.slice(taken.length).map((file) => ({
        key: randomId(),
        name: file.name || 'file',
        size: file.size,
        progress: 0,
        state: 'failed',
        error: `At most ${maxFilesPerMessage} files per message`,
      }));
      const added: DraftFile[] = taken.map((file) => {
        const key = randomId();
        const handle = uploadFile(file, (progress) => patch(key, { progress }), token);
        handles.current.set(key, handle);
        handle.done.then(
          (uploaded) => patch(key, { state: 'ready', progress: 1, uploaded }),
          (error: unknown) =>
            patch(key, {
              state: 'failed',
              error:
                error instanceof UploadError ? error.message : 'The file could not be uploaded',
            }),
        );
        return {
          key,
          name: file.name || 'pasted-image.png',
          size: file.size,
          progress: 0,
          state: 'uploading',
        };
      });
      count.current += added.length + refused.length;
      setFiles((all) => [...all, ...added, ...refused]);
    },
    [token],
  );

  const remove = useCallback((key: string) => {
    handles.current.get(key)?.cancel();
    handles.current.delete(key);
    setFiles((all) => {
      const left = all.filter((f) => f.key !== key);
      count.current = left.length;
      return left;
    });
  }, []);

  const clear = useCallback(() => {
    handles.current.clear();
    count.current = 0;
    setFiles([]);
  }, []);

  const ready = files.flatMap((f) => (f.state === 'ready' && f.uploaded ? [f.uploaded] : []));
  const uploading = files.some((f) => f.state === 'uploading');
  return { files, ready, uploading, add, remove, clear };
}
