// The Dask dashboard link in the studio's header, shown while renders run on a cluster (the `dashboard_link` trait).
import { h } from "./dom.js";
import { watch } from "./model.js";

/** The link's address when it is a web page (http or https), else null: a trait value never becomes a script URL. */
export function dashboardHref(link) {
  if (typeof link !== "string" || !link.trim()) return null;
  try {
    const url = new URL(link.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Mount the link before `before` (an element of the header); returns its teardown. */
export function mountClusterLink(before, model) {
  const link = h("a", { class: "gw-cluster-link", target: "_blank", rel: "noopener noreferrer",
    title: "Frames render on a Dask cluster: open its dashboard (workers, tasks, progress)" }, "Dask dashboard");
  before.before(link);
  const stop = watch(model, ["dashboard_link"], () => {
    const href = dashboardHref(model.get("dashboard_link"));
    link.hidden = href === null;
    if (href === null) link.removeAttribute("href");
    else link.href = href;
  });
  return () => {
    stop();
    link.remove();
  };
}
