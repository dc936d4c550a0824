// The runs list's script: "Load more" appends the next page, and while the tab is visible the
// first page is re-read every few seconds and its rows patched in place (new runs on top, changed
// rows replaced, counts refreshed) — the page never reloads and the filter inputs are never touched.

export const runsScript = String.raw`
const cairn = window.cairn;
const body = document.getElementById("runs-body");
const more = document.getElementById("load-more");
const rowsUrl = (extra) => { const u = new URL(location.href); u.pathname = u.pathname.replace(/\/?$/, "/rows"); for (const k in extra) u.searchParams.set(k, extra[k]); return u; };
const parse = async (url) => {
  const res = await fetch(url, { headers: { accept: "text/html" } });
  if (!res.ok) return null;
  return new DOMParser().parseFromString("<table>" + (await res.text()) + "</table>", "text/html");
};
function syncMore() { if (more) more.hidden = !body.dataset.next; }
syncMore();
more?.addEventListener("click", async () => {
  more.disabled = true;
  const doc = await parse(rowsUrl({ cursor: body.dataset.next }));
  more.disabled = false;
  if (!doc) return;
  const fresh = doc.getElementById("runs-body");
  for (const row of [...fresh.rows]) if (!body.querySelector('[data-run-id="' + row.dataset.runId + '"]')) body.appendChild(document.importNode(row, true));
  body.dataset.next = fresh.dataset.next; syncMore(); cairn.times(body);
  document.querySelector("[data-shown]").textContent = body.rows.length;
});
const served = new Map();
async function poll() {
  if (document.hidden || !body) return;
  const doc = await parse(rowsUrl({}));
  if (!doc) return;
  const rows = [...doc.getElementById("runs-body").rows];
  let anchor = body.rows[0] || null;
  for (const row of rows) {
    const id = row.dataset.runId, html = row.outerHTML;
    const old = body.querySelector('[data-run-id="' + id + '"]');
    if (old) { if (served.get(id) !== html) { const n = document.importNode(row, true); if (old.classList.contains("sel")) n.classList.add("sel"); old.replaceWith(n); cairn.times(n); } anchor = null; }
    else if (anchor !== null) { const n = document.importNode(row, true); body.insertBefore(n, anchor); cairn.times(n); }
    served.set(id, html);
  }
  const counts = doc.querySelector('[data-region="counts"]'), mine = document.querySelector('[data-region="counts"]');
  if (counts && mine && counts.outerHTML !== mine.outerHTML) mine.replaceWith(document.importNode(counts, true));
  document.getElementById("empty-runs")?.toggleAttribute("hidden", body.rows.length > 0);
  const shown = document.querySelector("[data-shown]"); if (shown) shown.textContent = body.rows.length;
}
for (const row of body?.rows ?? []) served.set(row.dataset.runId, row.outerHTML);
setInterval(poll, 3000);
document.addEventListener("visibilitychange", () => { if (!document.hidden) poll(); });
for (const el of document.querySelectorAll("[data-autosubmit]")) el.addEventListener("change", () => el.form.requestSubmit());
`;
