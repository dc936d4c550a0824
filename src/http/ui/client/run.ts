// The run page's script: lays the waterfall out on its time axis (ticks with units, zoom, running
// bars growing), opens a step's details, and follows the run's live events, patching the changed
// parts of the page in place — never a navigation.

export const runScript = `
const cairn = window.cairn;
let view = null; // the zoomed range [t0, t1] in epoch ms, or null for the whole run
let skew = 0; // server now - client now, so running bars end at the server's now
const units = [[1, "ms"], [1000, "s"], [60000, "m"], [3600000, "h"], [86400000, "d"]];
const fmt = (ms) => {
  if (ms === 0) return "0";
  let u = units[0]; for (const x of units) if (ms >= x[0]) u = x;
  const v = ms / u[0];
  return (Math.round(v * 100) / 100) + (u[1] === "ms" ? " ms" : " " + u[1]);
};
const nice = (span) => {
  const raw = span / 6, steps = [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000,
    120000, 300000, 600000, 900000, 1800000, 3600000, 7200000, 21600000, 43200000, 86400000];
  return steps.find((s) => s >= raw) || Math.ceil(raw / 86400000) * 86400000;
};
function range(wf) {
  const t0 = Number(wf.dataset.t0), t1 = wf.dataset.t1 ? Number(wf.dataset.t1) : Date.now() + skew;
  return view || [t0, Math.max(t1, t0 + 1)];
}
function layout() {
  const wf = document.querySelector(".wf"); if (!wf) return;
  const [a, b] = range(wf), w = b - a, now = Date.now() + skew;
  let live = false;
  for (const el of wf.querySelectorAll(".wf-bar,.wf-gap")) {
    const s = Number(el.dataset.start), e = el.dataset.end ? Number(el.dataset.end) : (live = true, now);
    const l = Math.max(s, a), r = Math.min(e, b);
    el.hidden = r < a || l > b;
    el.style.left = ((l - a) / w) * 100 + "%";
    el.style.width = (Math.max(0, r - l) / w) * 100 + "%";
  }
  const axis = wf.querySelector("[data-axis]"), lines = wf.querySelector("[data-lines]");
  if (axis) {
    const step = nice(w), t0 = Number(wf.dataset.t0);
    let html = "", grid = "";
    for (let t = Math.ceil((a - t0) / step) * step; t0 + t <= b; t += step) {
      const x = ((t0 + t - a) / w) * 100;
      html += '<span class="tick" data-x="' + x + '">' + fmt(t) + "</span>";
      grid += '<span data-x="' + x + '"></span>';
    }
    axis.innerHTML = html; lines.innerHTML = grid;
    for (const el of wf.querySelectorAll("[data-x]")) el.style.left = el.dataset.x + "%";
  }
  const label = document.querySelector("[data-range]");
  if (label) label.textContent = view ? "Showing " + fmt(a - Number(wf.dataset.t0)) + " – " + fmt(b - Number(wf.dataset.t0)) : "Whole run · " + fmt(w);
  return live;
}
function zoom(factor) {
  const wf = document.querySelector(".wf"); if (!wf) return;
  const [a, b] = range(wf), mid = (a + b) / 2, half = ((b - a) * factor) / 2;
  view = factor >= 1 && view && half * 2 >= Number(wf.dataset.t1 || Date.now() + skew) - Number(wf.dataset.t0) ? null : [mid - half, mid + half];
  if (view && factor < 1 && view[1] - view[0] < 1) view = [mid - 0.5, mid + 0.5];
  layout();
}
document.addEventListener("click", (e) => {
  const z = e.target.closest("[data-zoom]");
  if (z) { z.dataset.zoom === "in" ? zoom(0.5) : z.dataset.zoom === "out" ? zoom(2) : (view = null, layout()); }
});
document.addEventListener("cairn:zoom", (e) => { const k = e.detail; k === "0" ? (view = null, layout()) : zoom(k === "-" ? 2 : 0.5); });

// Drag across the tracks to zoom into that range; a click without a drag opens the step.
let drag = null;
document.addEventListener("mousedown", (e) => {
  const track = e.target.closest(".wf-track"); if (!track || e.button !== 0) return;
  const box = track.getBoundingClientRect(); drag = { x: e.clientX, left: box.left, width: box.width, moved: false };
});
document.addEventListener("mousemove", (e) => {
  if (!drag) return;
  const sel = document.querySelector("[data-select]"), body = document.querySelector(".wf-body");
  if (Math.abs(e.clientX - drag.x) < 5 || !sel || !body) return;
  drag.moved = true; sel.hidden = false;
  const origin = body.getBoundingClientRect().left;
  sel.style.left = Math.min(drag.x, e.clientX) - origin + "px"; sel.style.width = Math.abs(e.clientX - drag.x) + "px";
});
document.addEventListener("mouseup", (e) => {
  if (!drag) return;
  const d = drag; drag = null;
  const sel = document.querySelector("[data-select]"); if (sel) sel.hidden = true;
  if (!d.moved) return;
  const wf = document.querySelector(".wf"), [a, b] = range(wf);
  const f = (x) => a + (Math.max(0, Math.min(d.width, x - d.left)) / d.width) * (b - a);
  const lo = f(Math.min(d.x, e.clientX)), hi = f(Math.max(d.x, e.clientX));
  if (hi - lo >= 1) { view = [lo, hi]; layout(); }
  cairn.suppressClick = true; setTimeout(() => { cairn.suppressClick = false; }, 0);
});

// Step details in a side panel, fetched when a step is opened and again when the run changes.
const drawer = document.getElementById("step-drawer");
let open = null;
async function showStep(stepId) {
  open = stepId;
  for (const el of document.querySelectorAll(".wf-lane.on,.cv-step.on")) el.classList.remove("on");
  document.querySelector('.wf-lane[data-step="' + CSS.escape(stepId) + '"]')?.classList.add("on");
  const res = await fetch(location.pathname + "/steps/" + encodeURIComponent(stepId), { headers: { accept: "text/html" } });
  if (open !== stepId) return;
  drawer.querySelector("[data-drawer-body]").innerHTML = await res.text();
  cairn.times(drawer); drawer.hidden = false;
}
document.addEventListener("click", (e) => {
  if (cairn.suppressClick) return;
  const lane = e.target.closest(".wf-lane[data-step],[data-open-step]");
  if (lane) showStep(lane.dataset.step || lane.dataset.openStep);
  if (e.target.closest("[data-drawer-close]")) { drawer.hidden = true; open = null; }
});
document.addEventListener("cairn:escape", () => { drawer.hidden = true; open = null; });

// Live: the run's event stream; each burst of events re-reads this page and swaps changed regions.
const served = new Map();
const remember = (root) => { for (const r of root.querySelectorAll("[data-region]")) served.set(r.dataset.region, r.outerHTML); };
remember(document);
let pending = null, busy = false;
async function refresh() {
  if (busy) { pending = pending || setTimeout(() => { pending = null; refresh(); }, 400); return; }
  busy = true;
  try {
    const res = await fetch(location.pathname, { headers: { accept: "text/html" } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const fresh of doc.querySelectorAll("[data-region]")) {
      const name = fresh.dataset.region, html = fresh.outerHTML;
      if (served.get(name) === html) continue;
      served.set(name, html);
      const old = document.querySelector('[data-region="' + name + '"]');
      if (!old) continue;
      const node = document.importNode(fresh, true); old.replaceWith(node); cairn.times(node);
    }
    const now = doc.querySelector(".wf")?.dataset.now; if (now) skew = Number(now) - Date.now();
    layout();
    if (open) showStep(open);
  } finally { busy = false; }
}
const schedule = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 250); };
const live = document.querySelector("[data-live]");
if (live) {
  const source = new EventSource(live.dataset.live);
  source.onmessage = schedule;
  for (const t of live.dataset.types.split(",")) source.addEventListener(t, (e) => {
    schedule();
    if (/^run_(completed|failed|canceled)$/.test(t)) source.close();
  });
}
const wf0 = document.querySelector(".wf"); if (wf0?.dataset.now) skew = Number(wf0.dataset.now) - Date.now();
layout();
setInterval(() => { if (document.querySelector(".wf:not([data-t1])")) layout(); }, 500);
addEventListener("resize", layout);
`;
