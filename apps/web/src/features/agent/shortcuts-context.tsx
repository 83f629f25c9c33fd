import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ShortcutsDialog } from './shortcuts-dialog';
import { useShortcuts } from './use-shortcuts';

type ShortcutsDialogControl = { open: () => void };

const Context = createContext<ShortcutsDialogControl>({ open: () => {} });

export function useShortcutsDialog(): ShortcutsDialogControl {
  return useContext(Context);
}

/** The agent workspace's global keys: `?` for the overlay, `g d` / `g q` to move around. */
export function AgentShortcuts({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [leader, setLeader] = useState(0);
  const navigate = useNavigate();
  const after = (path: string) => () => {
    if (Date.now() - leader < 1_500) void navigate(path);
    setLeader(0);
  };
  useShortcuts({
    '?': () => setOpen(true),
    g: () => setLeader(Date.now()),
    d: after('/agent'),
    q: after('/agent/queue'),
  });
  const control = useMemo(() => ({ open: () => setOpen(true) }), []);
  return (
    <Context.Provider value={control}>
      {children}
      <ShortcutsDialog open={open} onClose={() => setOpen(false)} />
    </Context.Provider>
  );
}
