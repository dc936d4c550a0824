// Styles of the run page: the waterfall (lanes, bars, backoff gaps, axis), the step panel, the
// canvas of the workflow's structure, and errors and logs.
export const runStyles = `
.run-meta { display:flex; flex-wrap:wrap; gap:.35rem 1.25rem; font-size:.82rem; color:var(--muted); margin:.25rem 0 1rem; }
.run-meta b { color:var(--text); font-weight:500; }
.reason { border-left:3px solid var(--bad); } .reason.queue { border-left-color:var(--warn); }
.wf-tools { margin:.25rem 0 .5rem; }
.wf { background:var(--card); border:1px solid var(--line); border-radius:8px; box-shadow:var(--shadow); --lw:240px; }
.wf-body { position:relative; user-select:none; }
.wf-head, .wf-lane { display:grid; grid-template-columns:var(--lw) 1fr; align-items:center; }
.wf-head { height:28px; border-bottom:1px solid var(--line); background:var(--sunk); border-radius:8px 8px 0 0; }
.wf-label { padding:0 .75rem; display:flex; gap:.5rem; align-items:center; min-width:0; height:100%; border-right:1px solid var(--line); }
.wf-axis { position:relative; height:100%; margin:0 .75rem; }
.wf-axis .tick { position:absolute; top:6px; transform:translateX(-50%); font-size:.7rem; color:var(--muted); white-space:nowrap; font-variant-numeric:tabular-nums; }
.wf-axis .tick:first-child { transform:none; }
.wf-lines { position:absolute; top:28px; bottom:0; left:calc(var(--lw) + .75rem); right:.75rem; pointer-events:none; }
.wf-lines span { position:absolute; top:0; bottom:0; border-left:1px dashed var(--line); }
.wf-select { position:absolute; top:0; bottom:0; background:color-mix(in srgb, var(--accent) 15%, transparent);
  border:1px solid var(--accent); pointer-events:none; z-index:3; }
.wf-lane { height:30px; border-bottom:1px solid var(--line); cursor:pointer; }
.wf-lane:last-child { border-bottom:0; }
.wf-lane:hover, .wf-lane.sel, .wf-lane.on { background:var(--hover); }
.wf-lane.on .wf-name { color:var(--accent); font-weight:600; }
.wf-name { font-family:ui-monospace,monospace; font-size:.78rem; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; flex:1; }
.wf-name.d1 { padding-left:12px; } .wf-name.d2 { padding-left:24px; } .wf-name.d3, .wf-name.d4 { padding-left:36px; }
.wf-dur { font-size:.72rem; color:var(--muted); font-variant-numeric:tabular-nums; white-space:nowrap; }
.wf-track { position:relative; height:100%; margin:0 .75rem; }
.wf-bar { position:absolute; top:8px; height:14px; border-radius:3px; min-width:2px; background:var(--off); z-index:1; }
.wf-bar.st-completed { background:var(--ok); } .wf-bar.st-failed, .wf-bar.st-timed_out { background:var(--bad); }
.wf-bar.st-retrying { background:var(--warn); } .wf-bar.st-running { background:var(--run); animation:pulse 1.2s ease-in-out infinite; }
.wf-bar.st-canceled { background:var(--off); opacity:.6; }
.wf-bar.k-sleep { background:repeating-linear-gradient(135deg,var(--wait) 0 6px,color-mix(in srgb,var(--wait) 55%,transparent) 6px 12px); }
.wf-bar.k-hook { background:repeating-linear-gradient(135deg,var(--wait) 0 3px,transparent 3px 6px); border:1px solid var(--wait); }
.wf-bar.k-workflow, .wf-bar.k-agent { background:transparent; border:2px solid var(--run); top:6px; height:18px; }
.wf-bar.k-workflow.st-completed, .wf-bar.k-agent.st-completed { border-color:var(--ok); }
.wf-bar.k-workflow.st-failed, .wf-bar.k-agent.st-failed { border-color:var(--bad); }
.wf-gap { position:absolute; top:14px; height:0; border-top:2px dotted var(--warn); }
.wf-gap.pending { border-top-style:dashed; opacity:.7; }
.legend { display:flex; gap:1rem; flex-wrap:wrap; font-size:.75rem; color:var(--muted); margin:.5rem 0 0; }
.legend i { display:inline-block; width:14px; height:8px; border-radius:2px; margin-right:.3rem; vertical-align:middle; }
.legend .l-ok { background:var(--ok); } .legend .l-bad { background:var(--bad); } .legend .l-warn { background:var(--warn); }
.legend .l-run { background:var(--run); } .legend .l-wait { background:var(--wait); } .legend .l-gap { border-top:2px dotted var(--warn); height:0; }
.drawer { position:fixed; top:48px; right:0; bottom:0; width:min(500px,100vw); background:var(--card); border-left:1px solid var(--line);
  box-shadow:-8px 0 24px rgba(0,0,0,.08); overflow-y:auto; z-index:20; padding:1rem 1.1rem; }
.drawer .close { position:sticky; top:0; float:right; }
.step-details h2 { margin:0; font-size:.95rem; overflow-wrap:anywhere; }
.attempts, .logs, .stack { list-style:none; padding:0; margin:0; }
.attempts li { padding:.4rem 0; border-bottom:1px solid var(--line); } .attempts li:last-child { border-bottom:0; }
.backoff { border-left:2px dotted var(--warn); padding-left:.5rem; margin-bottom:.3rem; }
.logs { font-family:ui-monospace,monospace; font-size:.75rem; background:var(--code-bg); border:1px solid var(--line); border-radius:6px; padding:.5rem; max-height:18rem; overflow:auto; }
.logs li { padding:.1rem 0; white-space:pre-wrap; word-break:break-word; } .logs .lvl { font-weight:600; text-transform:uppercase; font-size:.68rem; }
.log-warn .lvl { color:var(--warn); } .log-error .lvl { color:var(--bad); } .log-debug { color:var(--muted); }
.error-view { background:var(--bad-bg); border:1px solid color-mix(in srgb,var(--bad) 30%,transparent); border-radius:6px; padding:.6rem .75rem; }
.error-view, .error-view code { overflow-wrap:anywhere; word-break:break-word; }
.error-msg { margin:.3rem 0; white-space:pre-wrap; word-break:break-word; }
.stack { font-family:ui-monospace,monospace; font-size:.72rem; margin:.3rem 0; }
.stack li { padding:.05rem 0; overflow-wrap:anywhere; } .stack li.internal { color:var(--muted); opacity:.75; } .stack li.own { color:var(--text); }
.ellipsis { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; max-width:22rem; display:inline-block; vertical-align:bottom; }
.cols { display:grid; grid-template-columns:1fr 1fr; gap:1rem; } .cols > * { min-width:0; }
.json-block h3 { margin:0; }
.canvas { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem; overflow-x:auto; box-shadow:var(--shadow); }
.cv-seq { display:flex; flex-direction:column; align-items:center; gap:14px; position:relative; }
.cv-seq > * + *::before { content:""; position:absolute; margin-top:-14px; height:14px; border-left:1px solid var(--line2); left:50%; }
.cv-seq > * { position:relative; }
.cv-step { display:flex; flex-direction:column; gap:.1rem; min-width:150px; max-width:240px; padding:.4rem .65rem; border:1px solid var(--line2);
  border-radius:7px; background:var(--card); font-size:.78rem; cursor:default; border-left-width:4px; }
.cv-step[data-open-step] { cursor:pointer; }
.cv-step .k { color:var(--muted); font-size:.68rem; text-transform:uppercase; letter-spacing:.04em; }
.cv-step .n { font-family:ui-monospace,monospace; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.cv-step .x { color:var(--muted); font-size:.68rem; }
.cv-step.st-completed { border-left-color:var(--ok); background:color-mix(in srgb,var(--ok) 8%,var(--card)); }
.cv-step.st-failed { border-left-color:var(--bad); background:color-mix(in srgb,var(--bad) 10%,var(--card)); }
.cv-step.st-retrying { border-left-color:var(--warn); background:color-mix(in srgb,var(--warn) 10%,var(--card)); }
.cv-step.st-running { border-left-color:var(--run); background:color-mix(in srgb,var(--run) 10%,var(--card)); }
.cv-step.st-waiting { border-left-color:var(--wait); background:color-mix(in srgb,var(--wait) 10%,var(--card)); }
.cv-box { border:1px dashed var(--line2); border-radius:9px; padding:.5rem; display:flex; flex-direction:column; align-items:center; gap:.4rem; }
.cv-box > .cv-tag { font-size:.68rem; color:var(--muted); font-family:ui-monospace,monospace; align-self:flex-start; }
.cv-row { display:flex; gap:1rem; align-items:flex-start; }
.cv-arm { display:flex; flex-direction:column; align-items:center; gap:.3rem; }
.cv-arm > .cv-tag { font-size:.68rem; color:var(--muted); }
.cv-fan { background:var(--sunk); }
@media (max-width: 700px) { .wf { --lw:130px; } .cols { grid-template-columns:1fr; } .wf-dur { display:none; } }
`;
