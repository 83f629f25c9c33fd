import { useModalDialog } from '../../components/use-modal-dialog';
import { shortcutGroups } from './shortcut-list';

/** The `?` overlay: a modal dialog (focus kept inside, Esc closes) listing the shortcuts. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useModalDialog(open);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <header className="dialog__header">
        <h2 id="shortcuts-title" className="dialog__title">
          Keyboard shortcuts
        </h2>
        <button type="button" className="button button--ghost button--small" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="dialog__body shortcuts">
        {shortcutGroups.map((group) => (
          <section key={group.title} className="shortcuts__group">
            <h3 className="shortcuts__title">{group.title}</h3>
            <dl className="shortcuts__list">
              {group.items.map((item) => (
                <div key={item.label} className="shortcuts__item">
                  <dt>
                    {item.keys.map((key, i) => (
                      <span key={key}>
                        {i > 0 ? <span className="shortcuts__then"> then </span> : null}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{item.label}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </dialog>
  );
}
