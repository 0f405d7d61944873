// regex() support: the same acceptance rules as lib_strings.pattern_problem, and a translation of the
// accepted Python (re.ASCII) pattern into an equivalent JavaScript RegExp.

const MAX_PATTERN_LENGTH = 500;
const ESCAPE_LETTERS = new Set("dDwWsSbBtnrfvux");
const QUANT_RE = /^\{(\d+)(,(\d*))?\}/;

function quantifier(p: string, i: number): [string, number] | null {
  if (i >= p.length) return null;
  const c = p[i];
  let kind: string;
  let j: number;
  if (c === "*" || c === "+") [kind, j] = ["many", i + 1];
  else if (c === "?") [kind, j] = ["opt", i + 1];
  else if (c === "{") {
    const m = QUANT_RE.exec(p.slice(i));
    if (!m) return null;
    const upper = m[2] === undefined ? m[1] : m[3];
    kind = upper && Number(upper) <= 1 ? "opt" : "many";
    j = i + m[0].length;
  } else return null;
  if (j < p.length && p[j] === "?") j += 1;
  return [kind, j];
}

const isAlpha = (ch: string) => /^\p{L}$/u.test(ch);
const isDigit = (ch: string) => /^\p{Nd}$/u.test(ch);

/** Why a pattern is refused, or null when it is acceptable (messages as in Python). */
export function patternProblem(p: string): string | null {
  if (p.length > MAX_PATTERN_LENGTH) return "too long";
  if (p.includes("{,")) return "Write a repetition as {0,n}, not {,n}";
  const groups: boolean[] = [];
  let i = 0;
  const n = p.length;
  while (i < n) {
    const c = p[i];
    if (c === "\\") {
      const nxt = i + 1 < n ? p[i + 1] : "";
      if (nxt && isDigit(nxt) && nxt !== "0") return "back-reference";
      if (nxt && isAlpha(nxt) && !ESCAPE_LETTERS.has(nxt)) return "unsupported escape";
      i += 2;
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      if (j < n && p[j] === "^") j += 1;
      if (j < n && p[j] === "]") return "leading ]"; // means different things in Python and JavaScript
      while (j < n && p[j] !== "]") j += p[j] === "\\" ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === "(") {
      if (p.startsWith("(?", i)) {
        if (i + 2 >= n || !":=!".includes(p[i + 2])) return "unsupported group";
        i += 3;
      } else i += 1;
      groups.push(false);
      continue;
    }
    if (c === ")") {
      let inner = groups.length ? groups.pop()! : false;
      const q = quantifier(p, i + 1);
      if (q !== null) {
        if (inner && q[0] === "many") return "nested repetition";
        inner = true;
        i = q[1];
      } else i += 1;
      if (groups.length && inner) groups[groups.length - 1] = true;
      if (i < n && p[i] === "+" && q !== null) return "possessive";
      continue;
    }
    const q = quantifier(p, i);
    if (q !== null) {
      if (groups.length) groups[groups.length - 1] = true;
      i = q[1];
      if (i < n && p[i] === "+") return "possessive";
      continue;
    }
    i += 1;
  }
  return translate(p) === null ? "invalid" : null;
}

const PY_SPACE = " \\t\\n\\r\\f\\v";

/** The JavaScript RegExp behaving as Python's re.compile(p, re.ASCII).search, or null if invalid. */
function translate(p: string): RegExp | null {
  // Python (re.ASCII) and JS (non-unicode mode) differ in \s (ASCII only in Python). '$' matches only
  // at the very end in both: the Python side rewrites it to \Z. A leading ']' in a class is refused.
  let out = "";
  let i = 0;
  let inClass = false;
  while (i < p.length) {
    const c = p[i];
    if (c === "\\") {
      const nxt = p[i + 1] ?? "";
      if (nxt === "s") out += inClass ? PY_SPACE : `[${PY_SPACE}]`;
      else if (nxt === "S") out += inClass ? "\\S" : `[^${PY_SPACE}]`;
      else if (nxt === "u" && !/^[0-9a-fA-F]{4}$/.test(p.slice(i + 2, i + 6))) return null;
      else if (nxt === "x" && !/^[0-9a-fA-F]{2}$/.test(p.slice(i + 2, i + 4))) return null;
      else if (nxt === "") return null;
      else out += c + nxt;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      i += 1;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      i += 1;
      if (p[i] === "^") {
        out += "^";
        i += 1;
      }
      continue;
    }
    out += c;
    i += 1;
  }
  if (inClass) return null;
  try {
    return new RegExp(out);
  } catch {
    return null;
  }
}

const cache = new Map<string, RegExp | null>();

export function compiledPattern(p: string): RegExp | null {
  if (cache.has(p)) return cache.get(p)!;
  const re = patternProblem(p) === null ? translate(p) : null;
  if (cache.size > 256) cache.clear();
  cache.set(p, re);
  return re;
}
