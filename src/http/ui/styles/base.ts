// The dashboard's base stylesheet: colour tokens (light, dark, following the system unless the
// viewer picks one), the page frame, tables, forms, buttons and badges. System fonts only.
export const baseStyles = `
:root { color-scheme: light; --bg:#fafafa; --card:#fff; --sunk:#f4f4f5; --text:#18181b; --muted:#71717a; --line:#e4e4e7;
  --line2:#d4d4d8; --accent:#4f46e5; --accent-text:#fff; --hover:#f4f4f5; --ok:#16a34a; --bad:#dc2626; --warn:#d97706;
  --wait:#7c3aed; --run:#2563eb; --off:#71717a; --ok-bg:#dcfce7; --bad-bg:#fee2e2; --warn-bg:#fef3c7; --wait-bg:#ede9fe;
  --run-bg:#dbeafe; --off-bg:#f4f4f5; --code-bg:#f4f4f5; --shadow:0 1px 2px rgba(0,0,0,.04); }
:root[data-theme=dark] { color-scheme: dark; --bg:#0b0b0d; --card:#131316; --sunk:#1b1b1f; --text:#ececef; --muted:#9b9ba4;
  --line:#26262b; --line2:#34343a; --accent:#818cf8; --accent-text:#0b0b0d; --hover:#1c1c21; --ok:#4ade80; --bad:#f87171;
  --warn:#fbbf24; --wait:#a78bfa; --run:#60a5fa; --off:#a1a1aa; --ok-bg:#14532d66; --bad-bg:#7f1d1d66; --warn-bg:#78350f66;
  --wait-bg:#4c1d9566; --run-bg:#1e3a8a66; --off-bg:#27272a; --code-bg:#1b1b1f; --shadow:none; }
* { box-sizing:border-box; }
[hidden] { display:none !important; }
html { -webkit-text-size-adjust:100%; }
body { margin:0; font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans","Liberation Sans",Arial,sans-serif;
  background:var(--bg); color:var(--text); overflow-x:hidden; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
header.top { position:sticky; top:0; z-index:10; background:var(--card); border-bottom:1px solid var(--line);
  display:flex; align-items:center; gap:1rem; padding:0 1.25rem; height:48px; }
header.top .brand { font-weight:700; color:var(--text); letter-spacing:-.01em; white-space:nowrap; }
header.top nav { display:flex; gap:.25rem; overflow-x:auto; scrollbar-width:none; flex:1; min-width:0; }
header.top nav a { color:var(--muted); padding:.3rem .6rem; border-radius:6px; white-space:nowrap; font-weight:500; }
header.top nav a:hover, header.top nav a.on { color:var(--text); background:var(--hover); text-decoration:none; }
header.top .tools { display:flex; gap:.25rem; }
.icon-btn { background:transparent; border:1px solid var(--line); color:var(--muted); border-radius:6px; height:28px;
  min-width:28px; padding:0 .45rem; cursor:pointer; font:inherit; font-size:.8rem; }
.icon-btn:hover { color:var(--text); background:var(--hover); }
main { max-width:1240px; margin:0 auto; padding:1.25rem; }
h1 { font-size:1.25rem; margin:0; letter-spacing:-.01em; } h2 { font-size:.95rem; margin:1.5rem 0 .6rem; }
h3 { font-size:.85rem; margin:1rem 0 .4rem; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.page-head { display:flex; align-items:center; gap:.75rem; flex-wrap:wrap; margin-bottom:1rem; }
.page-head .spacer { flex:1; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem; margin-bottom:1rem; box-shadow:var(--shadow); }
.grid { display:grid; grid-template-columns:repeat(auto-fill,minmax(300px,1fr)); gap:1rem; }
.table-wrap { background:var(--card); border:1px solid var(--line); border-radius:8px; overflow-x:auto; box-shadow:var(--shadow); }
table { width:100%; border-collapse:collapse; }
th,td { text-align:left; padding:.5rem .75rem; border-bottom:1px solid var(--line); font-size:.85rem; vertical-align:middle; }
th { font-weight:500; color:var(--muted); font-size:.75rem; text-transform:uppercase; letter-spacing:.04em; background:var(--sunk); }
tbody tr:last-child td { border-bottom:0; }
tbody tr:hover, tbody tr.sel { background:var(--hover); }
tbody tr.sel { box-shadow:inset 2px 0 0 var(--accent); }
code, pre, .mono, kbd { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace; font-size:.8rem; }
pre { background:var(--code-bg); border:1px solid var(--line); padding:.7rem .8rem; border-radius:6px; overflow:auto;
  max-height:24rem; margin:.3rem 0; white-space:pre-wrap; word-break:break-word; }
kbd { border:1px solid var(--line2); border-bottom-width:2px; border-radius:4px; padding:0 .3rem; background:var(--card); }
.muted { color:var(--muted); } .small { font-size:.8rem; } .row { display:flex; gap:.6rem; align-items:center; flex-wrap:wrap; }
.err { color:var(--bad); }
.badge { display:inline-flex; align-items:center; gap:.35rem; padding:.05rem .5rem; border-radius:999px; font-size:.75rem;
  font-weight:500; white-space:nowrap; color:var(--off); background:var(--off-bg); }
.badge::before { content:""; width:6px; height:6px; border-radius:50%; background:currentColor; }
.s-success,.s-completed { color:var(--ok); background:var(--ok-bg); }
.s-failed,.s-timed_out,.s-blocked { color:var(--bad); background:var(--bad-bg); }
.s-running { color:var(--run); background:var(--run-bg); } .s-queued { color:var(--off); background:var(--off-bg); }
.s-sleeping,.s-waiting,.s-waiting_on_hook { color:var(--wait); background:var(--wait-bg); }
.s-retrying,.s-paused { color:var(--warn); background:var(--warn-bg); }
.s-running::before { animation:pulse 1.2s ease-in-out infinite; }
@keyframes pulse { 50% { opacity:.3; } }
label { display:block; font-size:.78rem; color:var(--muted); margin:.5rem 0 .2rem; font-weight:500; }
input[type=text],input[type=number],input[type=password],input[type=search],input[type=datetime-local],select,textarea {
  width:100%; padding:.4rem .55rem; border:1px solid var(--line2); border-radius:6px; font:inherit; font-size:.85rem;
  background:var(--card); color:var(--text); }
input:focus,select:focus,textarea:focus,button:focus-visible,a:focus-visible { outline:2px solid var(--accent); outline-offset:1px; }
textarea { min-height:5rem; font-family:ui-monospace,monospace; font-size:.8rem; }
button, .button { display:inline-flex; align-items:center; gap:.35rem; background:var(--accent); color:var(--accent-text);
  border:1px solid transparent; border-radius:6px; padding:.35rem .75rem; font:inherit; font-size:.85rem; font-weight:500; cursor:pointer; }
.button:hover { text-decoration:none; }
button.danger { background:var(--bad); color:#fff; } button.ghost, .button.ghost { background:var(--card); color:var(--text); border-color:var(--line2); }
button.ghost:hover, .button.ghost:hover { background:var(--hover); }
button.link { background:none; border:0; color:var(--accent); padding:0; }
button:disabled { opacity:.5; cursor:default; }
.actions { display:flex; gap:.5rem; flex-wrap:wrap; }
.empty { text-align:center; padding:2.5rem 1rem; color:var(--muted); }
.empty strong { display:block; color:var(--text); font-size:.95rem; margin-bottom:.25rem; }
.notice { border-left:3px solid var(--accent); }
.notice.bad { border-left-color:var(--bad); }
dialog { border:1px solid var(--line); border-radius:10px; background:var(--card); color:var(--text); padding:1.1rem;
  width:min(28rem, calc(100vw - 2rem)); box-shadow:0 10px 40px rgba(0,0,0,.25); }
dialog::backdrop { background:rgba(0,0,0,.4); }
dialog h2 { margin-top:0; }
.kv { display:grid; grid-template-columns:max-content 1fr; gap:.3rem 1rem; font-size:.85rem; margin:0; }
.kv dt { color:var(--muted); } .kv dd { margin:0; min-width:0; overflow-wrap:anywhere; }
.chips { display:flex; gap:.35rem; flex-wrap:wrap; }
.chip { display:inline-flex; gap:.35rem; align-items:center; padding:.2rem .6rem; border:1px solid var(--line); border-radius:999px;
  background:var(--card); color:var(--text); font-size:.8rem; }
.chip:hover { background:var(--hover); text-decoration:none; } .chip.on { border-color:var(--accent); box-shadow:inset 0 0 0 1px var(--accent); }
.chip .n { color:var(--muted); font-variant-numeric:tabular-nums; }
.copy { background:transparent; border:1px solid var(--line); color:var(--muted); border-radius:4px; padding:0 .35rem; font-size:.72rem; }
.copy:hover { color:var(--text); } .copy.done { color:var(--ok); border-color:var(--ok); }
.filters { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:.25rem .75rem; align-items:end; padding:.6rem .9rem .8rem; margin:.75rem 0; }
.filters label { margin-top:0; } .filter-go { display:flex; gap:.75rem; align-items:center; }
.narrow { max-width:26rem; margin:2rem auto; } .narrow.wide { max-width:40rem; }
.load-more { display:flex; justify-content:center; margin:.75rem 0; }
#keys-help ul { list-style:none; padding:0; margin:0; } #keys-help li { display:flex; justify-content:space-between; padding:.25rem 0; }
@media (max-width: 700px) {
  main { padding:.75rem; } header.top { padding:0 .75rem; gap:.5rem; }
  .hide-sm { display:none; } th,td { padding:.45rem .5rem; }
}
`;
