export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <span className="logo">
      <svg className="logo__mark" viewBox="0 0 32 32" aria-hidden="true" width="24" height="24">
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <path
          d="M9 10h14a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2h-8l-5 4v-4H9a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2z"
          fill="#fff"
        />
      </svg>
      {compact ? null : <span className="logo__word">Parley</span>}
    </span>
  );
}
