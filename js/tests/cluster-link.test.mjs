// The cluster's dashboard link: only web addresses become links.
import { test } from "node:test";
import assert from "node:assert/strict";

import { dashboardHref } from "../src/cluster-link.js";

test("a Dask dashboard address is a link, anything else is none", () => {
  assert.equal(dashboardHref("http://127.0.0.1:8787/status"), "http://127.0.0.1:8787/status");
  assert.equal(dashboardHref(" https://hub.example.org/user/a/proxy/8787/status "),
    "https://hub.example.org/user/a/proxy/8787/status");
  assert.equal(dashboardHref(""), null);
  assert.equal(dashboardHref(null), null);
  assert.equal(dashboardHref("javascript:alert(1)"), null);
  assert.equal(dashboardHref("not a url"), null);
});
