import assert from "node:assert/strict";
import { test } from "node:test";
import { PALETTES, detectTheme, safeColor } from "../src/theme.js";

const doc = (attr) => ({ body: { getAttribute: () => attr } });
const win = (dark) => ({ matchMedia: () => ({ matches: dark }) });

test("JupyterLab's body attribute wins over the media query", () => {
  assert.equal(detectTheme(doc("true"), win(true)), "light");
  assert.equal(detectTheme(doc("false"), win(false)), "dark");
});

const classDoc = (...names) => ({ body: { getAttribute: () => null, classList: { contains: (n) => names.includes(n) } } });

test("marimo's and VS Code's body classes win over the media query", () => {
  assert.equal(detectTheme(classDoc("dark", "dark-theme"), win(false)), "dark"); // marimo, display.theme = "dark"
  assert.equal(detectTheme(classDoc("light", "light-theme"), win(true)), "light");
  assert.equal(detectTheme(classDoc("vscode-dark"), win(false)), "dark");
  assert.equal(detectTheme(classDoc("vscode-high-contrast"), win(false)), "dark");
  assert.equal(detectTheme(classDoc("vscode-high-contrast", "vscode-high-contrast-light"), win(true)), "light");
  assert.equal(detectTheme(classDoc("vscode-light"), win(true)), "light");
  assert.equal(detectTheme(classDoc("some-other-class"), win(true)), "dark");
});

test("without a host's mark, prefers-color-scheme decides", () => {
  assert.equal(detectTheme(doc(null), win(true)), "dark");
  assert.equal(detectTheme(doc(null), win(false)), "light");
  assert.equal(detectTheme({}, {}), "light");
});

test("palettes have the same keys and hex colours", () => {
  assert.deepEqual(Object.keys(PALETTES.light).sort(), Object.keys(PALETTES.dark).sort());
  for (const pal of Object.values(PALETTES)) {
    for (const c of Object.values(pal)) assert.equal(safeColor(c, "bad"), c);
  }
});

test("safeColor accepts hex only", () => {
  assert.equal(safeColor("#4e79a7", "#000000"), "#4e79a7");
  assert.equal(safeColor("#abc", "#000000"), "#abc");
  assert.equal(safeColor("red; background:url(x)", "#000000"), "#000000");
  assert.equal(safeColor(undefined, "#000000"), "#000000");
});
