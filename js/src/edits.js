// @ts-check
/**
 * The region edits of one view, for Ctrl+Z / Ctrl+Shift+Z in draw mode: each step keeps the
 * list of regions before the edit and what the edit was ("region added to “x”").
 */

/** @template T */
export function createEdits() {
  /** @type {Array<{ before: T, what: string }>} */
  const past = [];
  /** @type {Array<{ before: T, what: string }>} */
  const future = [];
  /**
   * @param {"undo" | "redo"} kind
   * @param {T} current what is shown now (the step's other side)
   * @returns {{ before: T, what: string } | null} the state to show, and what it undoes / redoes
   */
  const step = (kind, current) => {
    const [from, to] = kind === "undo" ? [past, future] : [future, past];
    const s = from.pop();
    if (!s) return null;
    to.push({ before: current, what: s.what });
    return s;
  };
  return {
    /** An edit was made: `before` is the state it replaced. @param {T} before @param {string} what */
    record(before, what) {
      past.push({ before, what });
      future.length = 0;
    },
    step,
  };
}
