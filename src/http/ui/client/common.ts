// The script every dashboard page runs (inline, with the page's CSP nonce): theme switch, local
// times, copy buttons, confirmation dialogs and keyboard navigation. Plain ES2020, no build step.

/** Runs in <head> before the first paint: the remembered theme, else the system's. */
export const themeBootScript = `(() => { try { const t = localStorage.getItem("cairn-theme");
document.documentElement.dataset.theme = t === "light" || t === "dark" ? t :
(matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"); } catch {} })();`;

export const commonScript = String.raw`
const cairn = (window.cairn = window.cairn || {});
const pad = (n) => String(n).padStart(2, "0");
cairn.rel = (ms) => {
  const s = Math.round((Date.now() - ms) / 1000), f = s < 0, a = Math.abs(s);
  const t = a < 60 ? a + "s" : a < 3600 ? Math.round(a / 60) + "m" : a < 86400 ? Math.round(a / 3600) + "h" : Math.round(a / 86400) + "d";
  return f ? "in " + t : t + " ago";
};
cairn.local = (d) => {
  const today = new Date().toDateString() === d.toDateString();
  const time = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  return today ? time : d.toLocaleDateString(undefined, { month: "short", day: "numeric", year: d.getFullYear() === new Date().getFullYear() ? undefined : "numeric" }) + " " + time;
};
cairn.times = (root) => {
  for (const el of (root || document).querySelectorAll("time[datetime]")) {
    const d = new Date(el.getAttribute("datetime"));
    if (isNaN(d)) continue;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    el.title = d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "") + " UTC · " + d.toLocaleString() + " " + zone;
    el.textContent = el.dataset.rel ? cairn.rel(d.getTime()) : cairn.local(d);
  }
};
cairn.times();
setInterval(() => { for (const el of document.querySelectorAll("time[data-rel]")) el.textContent = cairn.rel(Date.parse(el.getAttribute("datetime"))); }, 10000);

const theme = document.getElementById("theme");
if (theme) {
  const show = () => { theme.textContent = document.documentElement.dataset.theme === "dark" ? "☾ Dark" : "☀ Light"; };
  show();
  theme.addEventListener("click", () => {
    const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem("cairn-theme", next); } catch {}
    show();
  });
}

// Delegated, so parts patched in later work too.
document.addEventListener("click", (e) => {
  const copy = e.target.closest("[data-copy]");
  if (copy) {
    const value = copy.dataset.copy.startsWith("#") ? document.querySelector(copy.dataset.copy)?.textContent ?? "" : copy.dataset.copy;
    navigator.clipboard?.writeText(value).catch(() => {});
    copy.classList.add("done"); const was = copy.textContent; copy.textContent = "Copied";
    setTimeout(() => { copy.classList.remove("done"); copy.textContent = was; }, 1200);
    return;
  }
  const open = e.target.closest("[data-dialog]");
  if (open) { const d = document.getElementById(open.dataset.dialog); if (d) { d.showModal(); d.querySelector("textarea,input:not([type=hidden]),button[type=submit]")?.focus(); } return; }
  const close = e.target.closest("[data-close]");
  if (close) close.closest("dialog")?.close();
});

// A form with data-confirm asks first (retry from a step, enable/disable, ...).
document.addEventListener("submit", (e) => {
  const msg = e.target.dataset?.confirm;
  if (msg && !confirm(msg)) e.preventDefault();
});

// Keyboard: j/k or arrows move through rows (runs, steps), Enter opens, / searches, ? shows the keys.
const help = document.getElementById("keys-help");
let at = -1;
const items = () => [...document.querySelectorAll("[data-nav]")].filter((el) => el.offsetParent !== null);
cairn.move = (delta) => {
  const list = items(); if (!list.length) return;
  list[at]?.classList.remove("sel");
  at = Math.max(0, Math.min(list.length - 1, at + delta));
  list[at].classList.add("sel"); list[at].scrollIntoView({ block: "nearest" }); list[at].focus({ preventScroll: true });
};
document.addEventListener("keydown", (e) => {
  if (e.metaKey || e.ctrlKey || e.altKey) return;
  const typing = e.target.closest("input,textarea,select,[contenteditable]");
  if (typing) { if (e.key === "Escape") e.target.blur(); return; }
  if (e.key === "j" || e.key === "ArrowDown") { cairn.move(1); e.preventDefault(); }
  else if (e.key === "k" || e.key === "ArrowUp") { cairn.move(-1); e.preventDefault(); }
  else if (e.key === "Enter") { const el = items()[at]; if (el) { (el.querySelector("a[href]") || el).click(); e.preventDefault(); } }
  else if (e.key === "/") { const s = document.querySelector("input[type=search]"); if (s) { s.focus(); e.preventDefault(); } }
  else if (e.key === "?") { help?.open ? help.close() : help?.showModal(); }
  else if (e.key === "t") theme?.click();
  else if (e.key === "Escape") document.dispatchEvent(new CustomEvent("cairn:escape"));
  else if (e.key === "+" || e.key === "=" || e.key === "-" || e.key === "0") document.dispatchEvent(new CustomEvent("cairn:zoom", { detail: e.key }));
});
document.getElementById("keys")?.addEventListener("click", () => help?.showModal());
`;
