// @ts-check
/**
 * The widget's CSS, injected as a <style> element into each view (so the bundle is one file and
 * works in JupyterLab, Notebook 7, VS Code and plain pages alike). Everything is scoped under
 * `.corral-map`; colours come from CSS variables set per theme by index.js.
 */

export const CSS = `
.corral-map {
  --corral-bg: #ffffff; --corral-fg: #1f2328; --corral-muted: #59636e;
  --corral-border: #d1d9e0; --corral-button: #f6f8fa;
  font-family: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  font-size: 12px; line-height: 1.4; color: var(--corral-fg);
  display: flex; flex-direction: column; gap: 6px; box-sizing: border-box; width: 100%;
  outline: none;
}
.corral-map *, .corral-map *::before, .corral-map *::after { box-sizing: border-box; }
.corral-toolbar { display: flex; align-items: center; gap: 10px; min-height: 26px; }
.corral-hint { color: var(--corral-muted); flex: 1 1 auto; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.corral-hint kbd {
  font: inherit; font-size: 11px; padding: 0 4px; border: 1px solid var(--corral-border);
  border-radius: 3px; background: var(--corral-button);
}
.corral-selected { font-variant-numeric: tabular-nums; white-space: nowrap; }
.corral-button {
  font: inherit; color: var(--corral-fg); background: var(--corral-button);
  border: 1px solid var(--corral-border); border-radius: 4px; padding: 2px 10px; cursor: pointer;
}
.corral-button:hover { filter: brightness(0.95); }
.corral-button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
.corral-canvas-wrap {
  position: relative; box-sizing: content-box; width: calc(100% - 2px); /* height: the trait */
  overflow: hidden; background: var(--corral-bg);
  border: 1px solid var(--corral-border); border-radius: 4px;
  user-select: none; -webkit-user-select: none; touch-action: none;
}
.corral-canvas-wrap canvas { display: block; position: absolute; left: 0; top: 0; }
.corral-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 2px 2px 4px; }
.corral-legend-row { display: inline-flex; align-items: center; gap: 6px; max-width: 100%; }
.corral-swatch { width: 11px; height: 11px; border-radius: 50%; flex: 0 0 auto; }
.corral-unlabeled .corral-swatch { width: 9px; height: 9px; opacity: 0.7; }
.corral-label { overflow: hidden; text-overflow: ellipsis; white-space: pre; max-width: 24em; }
.corral-unlabeled .corral-label { font-style: italic; color: var(--corral-muted); }
.corral-count { color: var(--corral-muted); font-variant-numeric: tabular-nums; }
.corral-empty {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: var(--corral-muted); pointer-events: none;
}
.corral-empty[hidden] { display: none; }
`;
