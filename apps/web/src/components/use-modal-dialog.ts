import { useEffect, useRef } from 'react';

/**
 * A `<dialog>` shown as a modal (focus kept inside, Esc closes it) while `open` is true:
 * put the returned ref on the element.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}
