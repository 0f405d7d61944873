// Hash routing (#/records/case/123?q=x): one index.html serves every screen, so the server needs a
// single route and the service worker a single navigation fallback.
import { useEffect, useState } from "preact/hooks";

export interface Route {
  path: string[];
  query: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = hash.split("?");
  return { path: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

export function href(path: string, query?: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  const q = qs.toString();
  return `#${path}${q ? `?${q}` : ""}`;
}

export function navigate(path: string, query?: Record<string, string | number | undefined | null>, replace = false): void {
  const target = href(path, query);
  if (replace) history.replaceState(null, "", target);
  else location.hash = target.slice(1);
  if (replace) window.dispatchEvent(new HashChangeEvent("hashchange"));
}
