import { useEffect } from 'react';

const defaultDescription = 'Parley support desk';

function descriptionTag(): HTMLMetaElement {
  let tag = document.querySelector<HTMLMetaElement>('meta[name="description"]');
  if (!tag) {
    tag = document.createElement('meta');
    tag.name = 'description';
    document.head.append(tag);
  }
  return tag;
}

/**
 * The tab title and the page's meta description, for help pages readable without
 * signing in (the server writes the same into an article's HTML before any script).
 */
export function useHelpHead(title: string, description?: string): void {
  useEffect(() => {
    document.title = `${title} · Parley Help`;
    const tag = descriptionTag();
    tag.content = description || defaultDescription;
    return () => {
      tag.content = defaultDescription;
    };
  }, [title, description]);
}
