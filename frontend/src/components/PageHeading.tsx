import { useEffect, useRef, type ReactNode } from 'react';
import { NavigationType, useNavigationType } from 'react-router';

/**
 * The page's h1. It sets the document title and, after a client-side
 * navigation, takes focus so that keyboard and screen-reader users land on
 * the new content. On a page load (a POP) focus stays where the browser puts
 * it, so the first Tab still reaches the skip link.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const navigation = useNavigationType();
  useEffect(() => {
    document.title = `${title} · Orderly`;
  }, [title]);
  useEffect(() => {
    if (navigation !== NavigationType.Pop) ref.current?.focus({ preventScroll: true });
    // Only when the page opens, not when the navigation type changes under it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
