// @ts-check
/**
 * Light / dark theme, from the host page, in this order:
 *   JupyterLab and Notebook 7: `body[data-jp-theme-light]` (set by the theme manager, changed live
 *     when the user switches theme);
 *   marimo: `body.dark-theme` / `body.light-theme` (its display.theme setting, "system" resolved);
 *   VS Code notebooks: `body.vscode-dark` / `vscode-high-contrast` (dark), `vscode-light` /
 *     `vscode-high-contrast-light` (light);
 *   anything else (Colab, a plain page): the `prefers-color-scheme` media query.
 * Each is watched, so a theme switched while the map is shown recolours it.
 */

/** @typedef {"light" | "dark"} ThemeName */

/**
 * @typedef {object} Palette
 * @property {string} background canvas and panel background
 * @property {string} foreground text
 * @property {string} muted secondary text
 * @property {string} border panel borders
 * @property {string} button button background
 * @property {string} unlabeled neutral grey of points without a label
 * @property {string} hover colour of the point under the mouse
 * @property {string} lasso lasso line colour
 * @property {string} ring colour of a selected grey (unlabeled) point: a strong outline around
 *   the background's halo, so a selection shows on grey points
 */

/** @type {Record<ThemeName, Palette>} */
export const PALETTES = {
  light: {
    background: "#ffffff",
    foreground: "#1f2328",
    muted: "#59636e",
    border: "#d1d9e0",
    button: "#f6f8fa",
    unlabeled: "#9a9a9a",
    hover: "#111111",
    lasso: "#0969da",
    ring: "#1f2328",
  },
  dark: {
    background: "#15181d",
    foreground: "#e6edf3",
    muted: "#9198a1",
    border: "#3d444d",
    button: "#212830",
    unlabeled: "#8a8a8a",
    hover: "#ffffff",
    lasso: "#4493f8",
    ring: "#f0f6fc",
  },
};

/**
 * @typedef {{ body?: { getAttribute(name: string): string | null,
 *                      classList?: { contains(name: string): boolean } } | null }} DocLike
 * @typedef {{ matchMedia?: (query: string) => { matches: boolean } }} WinLike
 */

const DARK_QUERY = "(prefers-color-scheme: dark)";
const JP_ATTR = "data-jp-theme-light";
/** Body classes of hosts that say their theme with a class (marimo, VS Code): [class, theme]. */
const HOST_CLASSES = /** @type {Array<[string, ThemeName]>} */ ([
  ["dark-theme", "dark"],
  ["light-theme", "light"],
  ["vscode-high-contrast-light", "light"],
  ["vscode-dark", "dark"],
  ["vscode-high-contrast", "dark"],
  ["vscode-light", "light"],
]);

/**
 * The theme in force.
 * @param {DocLike} [doc]
 * @param {WinLike} [win]
 * @returns {ThemeName}
 */
export function detectTheme(doc = globalThis.document, win = globalThis.window) {
  const jp = doc?.body?.getAttribute(JP_ATTR);
  if (jp === "true") return "light";
  if (jp === "false") return "dark";
  const classes = doc?.body?.classList;
  if (classes) {
    for (const [name, theme] of HOST_CLASSES) if (classes.contains(name)) return theme;
  }
  const dark = win?.matchMedia?.(DARK_QUERY)?.matches;
  return dark ? "dark" : "light";
}

/**
 * Call `onChange(theme)` whenever the theme changes. Returns the unsubscribe function.
 * @param {(theme: ThemeName) => void} onChange
 * @param {Document} [doc]
 * @param {Window} [win]
 * @returns {() => void}
 */
export function watchTheme(onChange, doc = globalThis.document, win = globalThis.window) {
  let current = detectTheme(doc, win);
  const check = () => {
    const next = detectTheme(doc, win);
    if (next !== current) {
      current = next;
      onChange(next);
    }
  };
  /** @type {Array<() => void>} */
  const stops = [];
  if (doc?.body && typeof MutationObserver !== "undefined") {
    const observer = new MutationObserver(check);
    observer.observe(doc.body, { attributes: true, attributeFilter: [JP_ATTR, "class"] });
    stops.push(() => observer.disconnect());
  }
  const mq = win?.matchMedia?.(DARK_QUERY);
  if (mq?.addEventListener) {
    mq.addEventListener("change", check);
    stops.push(() => mq.removeEventListener("change", check));
  }
  return () => stops.forEach((stop) => stop());
}

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/**
 * `color` if it is a hex colour ("#rgb", "#rrggbb" or "#rrggbbaa"), else `fallback`. Colours come
 * from Python (possibly from users); anything else would break the GPU colour map.
 * @param {unknown} color
 * @param {string} fallback
 * @returns {string}
 */
export function safeColor(color, fallback) {
  return typeof color === "string" && HEX.test(color) ? color : fallback;
}
