// The dashboard's stylesheet: system fonts, status colours that read at a glance, responsive.
export const styles = `
:root { --bg:#f6f7f9; --card:#fff; --text:#1b1f24; --muted:#5c6670; --line:#e1e5ea; --accent:#2457d6;
  --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --wait:#8250df; --run:#0969da; --off:#6e7781; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans","Liberation Sans",Arial,sans-serif; background:var(--bg); color:var(--text); }
header.top { background:#0d1117; color:#fff; padding:.7rem 1.5rem; display:flex; gap:1.5rem; align-items:center; }
header.top a { color:#fff; text-decoration:none; font-weight:600; }
header.top .brand { font-size:1.1rem; letter-spacing:.02em; }
main { max-width:1200px; margin:0 auto; padding:1.5rem; }
h1 { font-size:1.4rem; margin:.2rem 0 1rem; } h2 { font-size:1.1rem; margin:1.6rem 0 .6rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:1rem 1.2rem; margin-bottom:1rem; }
.grid { display:grid; grid-template-columns:repeat(auto-fill,minmax(320px,1fr)); gap:1rem; }
table { width:100%; border-collapse:collapse; background:var(--card); border:1px solid var(--line); border-radius:10px; overflow:hidden; }
th,td { text-align:left; padding:.55rem .8rem; border-bottom:1px solid var(--line); font-size:.92rem; }
th { background:#f0f2f5; font-weight:600; color:var(--muted); }
tr:last-child td { border-bottom:0; }
a { color:var(--accent); }
code, pre, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:.85rem; }
pre { background:#0d1117; color:#e6edf3; padding:.9rem; border-radius:8px; overflow:auto; max-height:26rem; margin:.4rem 0; }
.badge { display:inline-block; padding:.1rem .55rem; border-radius:999px; font-size:.78rem; font-weight:600; color:#fff; background:var(--off); white-space:nowrap; }
.s-success,.s-completed { background:var(--ok); } .s-failed,.s-timed_out { background:var(--bad); }
.s-running,.s-queued { background:var(--run); } .s-sleeping,.s-waiting,.s-waiting_on_hook { background:var(--wait); }
.s-retrying { background:var(--warn); } .s-canceled { background:var(--off); }
.muted { color:var(--muted); } .row { display:flex; gap:.8rem; align-items:center; flex-wrap:wrap; }
.filters a { padding:.2rem .6rem; border-radius:6px; text-decoration:none; border:1px solid var(--line); background:var(--card); }
.filters a.on { background:var(--accent); color:#fff; border-color:var(--accent); }
label { display:block; font-size:.85rem; color:var(--muted); margin:.4rem 0 .15rem; }
input[type=text],input[type=number],input[type=password],textarea { width:100%; padding:.45rem .55rem; border:1px solid var(--line); border-radius:6px; font:inherit; }
textarea { min-height:5rem; font-family:ui-monospace,monospace; font-size:.85rem; }
button { background:var(--accent); color:#fff; border:0; border-radius:6px; padding:.45rem .9rem; font:inherit; font-weight:600; cursor:pointer; margin-top:.6rem; }
button.danger { background:var(--bad); } button.ghost { background:transparent; color:var(--accent); border:1px solid var(--line); }
.timeline { position:relative; background:var(--card); border:1px solid var(--line); border-radius:10px; padding:.6rem .8rem; }
.lane { display:grid; grid-template-columns:minmax(120px,220px) 1fr; gap:.6rem; align-items:center; padding:.2rem 0; border-bottom:1px dashed var(--line); }
.lane:last-child { border-bottom:0; }
.lane .name { font-family:ui-monospace,monospace; font-size:.8rem; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.track { position:relative; height:22px; background:#f3f4f6; border-radius:4px; }
.bar { position:absolute; top:3px; height:16px; border-radius:3px; min-width:3px; opacity:.9; }
.bar.attempt.completed { background:var(--ok); } .bar.attempt.failed { background:var(--bad); } .bar.retrying { background:var(--warn); }
.bar.sleep { background:var(--wait); } .bar.hook { background:repeating-linear-gradient(45deg,var(--wait),var(--wait) 6px,#a78bfa 6px,#a78bfa 12px); }
.bar.running, .bar.waiting { outline:2px solid rgba(0,0,0,.15); }
.bar.workflow, .bar.agent { background:#d0d7de; }
.err { color:var(--bad); font-size:.85rem; }
@media (max-width: 700px) { main { padding:.8rem; } table { display:block; overflow-x:auto; } th,td { padding:.45rem .5rem; } th:nth-child(4),td:nth-child(4),th:nth-child(5),td:nth-child(5) { display:none; } .lane { grid-template-columns:1fr; } }
`;
