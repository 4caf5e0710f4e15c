// @ts-check
/**
 * The widget's CSS, injected as a <style> element into each view (so the bundle is one file and
 * works in JupyterLab, Notebook 7, VS Code and plain pages alike). Everything is scoped under
 * `.corral-map`; colours come from CSS variables set per theme by layout.applyPalette.
 */

export const CSS = `
.corral-map {
  --corral-bg: #ffffff; --corral-fg: #1f2328; --corral-muted: #59636e;
  --corral-border: #d1d9e0; --corral-button: #f6f8fa; --corral-accent: #0969da;
  --corral-error: #cf222e;
  font-family: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  font-size: 12px; line-height: 1.4; color: var(--corral-fg);
  display: flex; flex-direction: column; gap: 6px; box-sizing: border-box; width: 100%;
  outline: none;
}
.corral-map.corral-dark { --corral-error: #ff7b72; }
.corral-map *, .corral-map *::before, .corral-map *::after { box-sizing: border-box; }
.corral-map [hidden] { display: none !important; }
.corral-map .corral-muted { color: var(--corral-muted); }
.corral-map kbd, .corral-map .corral-key {
  font: inherit; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 10px; line-height: 13px;
  padding: 0 4px; color: var(--corral-muted); border: 1px solid var(--corral-border); border-bottom-width: 2px;
  border-radius: 3px; background: var(--corral-bg);
}
.corral-map .corral-button, .corral-map .corral-input, .corral-map .corral-select {
  font: inherit; color: var(--corral-fg); border: 1px solid var(--corral-border); border-radius: 4px;
  height: 24px; margin: 0;
}
.corral-map .corral-button {
  background: var(--corral-button); padding: 0 9px; cursor: pointer; white-space: nowrap;
  display: inline-flex; align-items: center; gap: 5px;
}
.corral-map .corral-button:hover:not(:disabled) { filter: brightness(0.95); }
.corral-map.corral-dark .corral-button:hover:not(:disabled) { filter: brightness(1.25); }
.corral-map .corral-button:disabled { opacity: 0.45; cursor: default; }
.corral-map .corral-button:focus-visible, .corral-map .corral-input:focus-visible, .corral-map .corral-select:focus-visible {
  outline: 2px solid var(--corral-accent); outline-offset: 1px;
}
.corral-map .corral-input, .corral-map .corral-select { background: var(--corral-bg); padding: 0 6px; min-width: 0; }
.corral-map .corral-input::placeholder { color: var(--corral-muted); }
.corral-map .corral-top { display: flex; }
.corral-map .corral-labelbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; width: 100%; }
.corral-map .corral-label-buttons { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; flex: 1 1 200px; min-width: 0; }
.corral-map .corral-label-button { max-width: 15em; padding: 0 6px 0 8px; }
.corral-map .corral-labelbar { position: relative; }
.corral-map .corral-more { padding: 0 8px; color: var(--corral-accent); }
.corral-map .corral-label-popup {
  position: absolute; z-index: 5; left: 0; top: 100%; margin-top: 4px; width: min(360px, 100%);
  display: flex; flex-direction: column; gap: 4px; padding: 6px; background: var(--corral-bg);
  border: 1px solid var(--corral-border); border-radius: 4px; box-shadow: 0 4px 14px rgba(0, 0, 0, 0.2);
}
.corral-map .corral-label-filter { width: 100%; }
.corral-map .corral-label-found { font-size: 11px; }
.corral-map .corral-label-list { display: flex; flex-direction: column; max-height: 260px; overflow: auto; }
.corral-map .corral-label-option {
  border: none; border-radius: 3px; background: transparent; justify-content: flex-start; flex: 0 0 auto;
  display: grid; grid-template-columns: 11px minmax(0, 1fr) auto; text-align: left; height: 22px;
}
.corral-map .corral-label-option:hover, .corral-map .corral-label-option:focus-visible { background: var(--corral-button); }
.corral-map .corral-label-option .corral-label { max-width: none; }
.corral-map .corral-label-button .corral-label { overflow: hidden; text-overflow: ellipsis; white-space: pre; }
.corral-map .corral-add-group { display: inline-flex; }
.corral-map .corral-new-label { width: 9.5em; border-radius: 4px 0 0 4px; }
.corral-map .corral-add { border-radius: 0 4px 4px 0; margin-left: -1px; }
.corral-map .corral-history { display: inline-flex; gap: 4px; }
.corral-map .corral-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; min-height: 26px; }
.corral-map .corral-spacer { flex: 1 1 0; }
/* The search takes the toolbar's free room: its input is 24em wide, narrower (down to 8em) while
   a result's buttons sit beside it, so the toolbar stays one row. */
.corral-map .corral-search { display: flex; align-items: center; gap: 6px; min-width: 0; flex: 100 1 20em; }
.corral-map .corral-search-input { width: 24em; min-width: 8em; flex: 0 1 24em; }
.corral-map .corral-search-mode, .corral-map .corral-search-result { flex: none; }
.corral-map .corral-search[data-busy] .corral-search-input { cursor: progress; border-style: dashed; }
.corral-map .corral-search-result { display: inline-flex; align-items: center; gap: 6px; }
.corral-map .corral-search-count { white-space: nowrap; font-variant-numeric: tabular-nums; }
.corral-map .corral-ramp { display: inline-block; width: 56px; height: 10px; border-radius: 2px; }
.corral-map .corral-topk-group { display: inline-flex; }
.corral-map .corral-select-top { border-radius: 4px 0 0 4px; }
.corral-map .corral-topk { width: 5.2em; border-radius: 0 4px 4px 0; margin-left: -1px; }
.corral-map .corral-selected { font-variant-numeric: tabular-nums; white-space: nowrap; }
.corral-map .corral-segmented { display: inline-flex; }
.corral-map .corral-tool { border-radius: 0; }
.corral-map .corral-tool:first-child { border-radius: 4px 0 0 4px; }
.corral-map .corral-tool:last-child { border-radius: 0 4px 4px 0; margin-left: -1px; }
.corral-map .corral-tool[aria-pressed="true"] { background: var(--corral-accent); border-color: var(--corral-accent); color: #ffffff; }
.corral-map .corral-suggest-group { display: inline-flex; align-items: center; gap: 4px; }
.corral-map .corral-suggest[aria-pressed="true"] { background: var(--corral-accent); border-color: var(--corral-accent); color: #ffffff; }
.corral-map .corral-suggest-threshold { width: 80px; }
.corral-map .corral-suggest-info { font-variant-numeric: tabular-nums; min-width: 3em; }
.corral-map .corral-body { display: flex; flex-wrap: wrap; gap: 8px; align-items: stretch; }
.corral-map .corral-canvas-wrap {
  position: relative; box-sizing: content-box; flex: 1 1 420px; min-width: 260px; /* height: the trait */
  overflow: hidden; background: var(--corral-bg);
  border: 1px solid var(--corral-border); border-radius: 4px;
  user-select: none; -webkit-user-select: none; touch-action: none;
}
.corral-map:focus .corral-canvas-wrap { border-color: var(--corral-accent); } /* keys go to the map */
.corral-map .corral-canvas-wrap canvas { display: block; position: absolute; left: 0; top: 0; }
.corral-map .corral-lasso-path {
  position: absolute; left: 0; top: 0; width: 100%; height: 100%; z-index: 1; pointer-events: none;
  overflow: visible;
}
.corral-map .corral-lasso-path polygon {
  fill: color-mix(in srgb, var(--corral-accent) 8%, transparent); stroke: var(--corral-accent);
  stroke-width: 1.5; stroke-linejoin: round;
}
.corral-map .corral-rect {
  position: absolute; z-index: 1; pointer-events: none; border: 1.5px solid var(--corral-accent);
  background: color-mix(in srgb, var(--corral-accent) 12%, transparent);
}
.corral-map .corral-tooltip {
  position: absolute; z-index: 2; max-width: min(360px, 70%); max-height: 13em; overflow: hidden;
  padding: 6px 8px; background: var(--corral-bg); color: var(--corral-fg);
  border: 1px solid var(--corral-border); border-radius: 4px; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.18);
  white-space: pre-wrap; overflow-wrap: anywhere; pointer-events: none;
}
.corral-map .corral-panel {
  flex: 0 1 250px; min-width: 200px; overflow: auto; padding: 6px 8px;
  border: 1px solid var(--corral-border); border-radius: 4px; background: var(--corral-bg);
  display: flex; flex-direction: column; gap: 6px;
}
.corral-map .corral-panel-head, .corral-map .corral-sample-head { display: flex; align-items: center; justify-content: space-between; gap: 6px; }
.corral-map .corral-panel-title { font-weight: 600; }
.corral-map .corral-panel .corral-selected { color: var(--corral-muted); }
.corral-map .corral-panel-body { display: flex; flex-direction: column; gap: 6px; }
.corral-map .corral-panel[data-state="loading"] .corral-panel-body { opacity: 0.6; }
.corral-map .corral-makeup { display: flex; flex-direction: column; gap: 3px; }
.corral-map .corral-makeup-row {
  display: grid; grid-template-columns: 11px minmax(0, 1fr) auto 48px; align-items: center; gap: 6px;
}
.corral-map .corral-makeup-row .corral-label { overflow: hidden; text-overflow: ellipsis; white-space: pre; }
.corral-map .corral-bar { height: 6px; border-radius: 3px; background: var(--corral-button); overflow: hidden; }
.corral-map .corral-bar-fill { display: block; height: 100%; }
.corral-map .corral-sample { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 4px; }
.corral-map .corral-sample-text {
  white-space: pre-wrap; overflow-wrap: anywhere; overflow: hidden; padding-left: 7px;
  border-left: 2px solid var(--corral-border);
  display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; cursor: pointer;
}
.corral-map .corral-sample-text[data-expanded] { display: block; -webkit-line-clamp: unset; border-left-color: var(--corral-accent); }
.corral-map .corral-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 0 2px; align-items: center; }
.corral-map .corral-legend[data-expanded] { max-height: 150px; overflow: auto; }
.corral-map .corral-legend-more { height: 20px; padding: 0 7px; color: var(--corral-accent); }
.corral-map .corral-legend-row { display: inline-flex; align-items: center; gap: 6px; max-width: 100%; }
.corral-map .corral-swatch { width: 11px; height: 11px; border-radius: 50%; flex: 0 0 auto; display: inline-block; }
.corral-map .corral-unlabeled .corral-swatch { width: 9px; height: 9px; opacity: 0.7; }
.corral-map .corral-colorbar { display: flex; align-items: center; gap: 6px; padding: 0 2px 4px; }
.corral-map .corral-colorbar[hidden], .corral-map .corral-colorbar [hidden] { display: none; }
.corral-map .corral-colorbar-title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; max-width: 40%; }
.corral-map .corral-colorbar-ramp { width: 160px; height: 10px; border-radius: 2px; flex: 0 0 auto; }
.corral-map .corral-label { overflow: hidden; text-overflow: ellipsis; white-space: pre; max-width: 24em; }
.corral-map .corral-unlabeled .corral-label { font-style: italic; color: var(--corral-muted); }
.corral-map .corral-count { color: var(--corral-muted); font-variant-numeric: tabular-nums; }
.corral-map .corral-status {
  min-height: 17px; font-size: 11.5px; color: var(--corral-muted);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.corral-map .corral-status[data-kind="info"] { color: var(--corral-fg); }
.corral-map .corral-status[data-kind="error"] { color: var(--corral-error); cursor: pointer; }
.corral-map .corral-empty {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: var(--corral-muted); pointer-events: none;
}
`;
