import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's h1. It sets the document title and takes focus when the page
 * opens, so that keyboard and screen-reader users land on the new content
 * after a client-side navigation, as they would after a page load.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Orderly`;
  }, [title]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
