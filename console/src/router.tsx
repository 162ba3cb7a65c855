import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react';

/** Where the console is served. */
export const BASE = '/console';

function currentRoute(): string {
  const path = window.location.pathname;
  const rest = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  return rest === '' ? '/' : rest;
}

let navigatedInPage = false;

/** Whether the console has moved from page to page since it loaded (then a new page's heading takes focus). */
export function hasNavigated(): boolean {
  return navigatedInPage;
}

/** Moves to `route` (a path below `/console`, e.g. `/roles`) without reloading. */
export function navigate(route: string): void {
  navigatedInPage = true;
  window.history.pushState(null, '', `${BASE}${route}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route below `/console` (e.g. `/roles/admin`), updated on navigation. */
export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => {
      navigatedInPage = true;
      setRoute(currentRoute());
    };
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A link inside the console: a real `<a href>` (keyboard and middle-click work) that navigates in place. */
export function Link({
  to,
  children,
  ...rest
}: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${BASE}${to}`} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
