/** "Older" under an admin list of pages (an infinite query), while it has more. */
export function LoadOlder(props: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  const { list } = props;
  if (!list.hasNextPage) return null;
  return (
    <p className="card--padded">
      <button
        type="button"
        className="button button--small"
        disabled={list.isFetchingNextPage}
        onClick={() => void list.fetchNextPage()}
      >
        {list.isFetchingNextPage ? 'Loading…' : 'Older'}
      </button>
    </p>
  );
}
