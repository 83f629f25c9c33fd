import { useId, type ReactNode } from 'react';
import { useModalDialog } from './use-modal-dialog';

/**
 * Asks before something hard to undo: a modal dialog (focus kept inside, Esc cancels)
 * with a title, what will happen, Cancel and the action. Open while `open` is true.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { open, onCancel } = props;
  const ref = useModalDialog(open);
  const ids = { title: useId(), body: useId() };

  return (
    <dialog
      ref={ref}
      className="dialog dialog--confirm"
      aria-labelledby={ids.title}
      aria-describedby={ids.body}
      onClose={() => {
        if (open) onCancel();
      }}
    >
      <header className="dialog__header">
        <h2 id={ids.title} className="dialog__title">
          {props.title}
        </h2>
      </header>
      <div className="dialog__body">
        <div id={ids.body}>{props.children}</div>
        <div className="form__actions dialog__actions">
          {/* Cancel first, and focused on opening: Enter alone never confirms. */}
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button--danger" onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
