// The keyframe text grammar, a line-for-line mirror of giffusion_widgets/prompts.py:
//
//   # comments and blank lines are ignored
//   0: a picture of a corgi
//   60: a picture of a lion | negative: blurry | seed: 7
//
// Python counts columns in code points and uses Unicode rules for whitespace and digits, so this module works on
// arrays of code points and copies those rules; tests/fixtures/grammar_cases.json (made by the Python parser) keeps
// the two in step.

/** A line that breaks the grammar; `line` and `column` count from 1, in code points. */
export class PromptSyntaxError extends Error {
  constructor(reason, line, column, textLine = "") {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = "PromptSyntaxError";
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.textLine = textLine;
  }
}

const OPTION_KEYS = { negative: "negative", neg: "negative", seed: "seed" };

// str.isspace(): Unicode White_Space plus the separators Python also counts (0x1c-0x1f).
const SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
// str.splitlines() boundaries.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/u;
const DIGIT = /^\p{Nd}$/u;

const isSpace = (ch) => SPACE.test(ch);
const isDigit = (ch) => DIGIT.test(ch);

/** Python's int() of one decimal digit of any script: digit runs in Unicode start at zero and come in tens. */
function digitValue(ch) {
  let cp = ch.codePointAt(0);
  let run = 0;
  while (cp - run - 1 >= 0 && isDigit(String.fromCodePoint(cp - run - 1))) run += 1;
  return run % 10;
}

function toBigInt(chars) {
  let sign = 1n;
  let i = 0;
  if (chars[0] === "+" || chars[0] === "-") {
    if (chars[0] === "-") sign = -1n;
    i = 1;
  }
  let value = 0n;
  for (; i < chars.length; i += 1) value = value * 10n + BigInt(digitValue(chars[i]));
  return sign * value;
}

function splitLines(text) {
  const lines = text.split(LINE_BREAK);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function lstripLen(chars, from = 0, to = chars.length) {
  let i = from;
  while (i < to && isSpace(chars[i])) i += 1;
  return i - from;
}

function strip(chars) {
  let a = 0;
  let b = chars.length;
  while (a < b && isSpace(chars[a])) a += 1;
  while (b > a && isSpace(chars[b - 1])) b -= 1;
  return chars.slice(a, b);
}

const str = (chars) => chars.join("");

function rstrip(text) {
  const chars = Array.from(text);
  let b = chars.length;
  while (b > 0 && isSpace(chars[b - 1])) b -= 1;
  return str(chars.slice(0, b));
}

/** Python's repr() of a str, as error messages quote the offending text with it. */
export function pyRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (isPrintable(ch)) out += ch;
    else if (cp < 0x100) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += "\\U" + cp.toString(16).padStart(8, "0");
  }
  return out + quote;
}

// str.isprintable(): not in categories Other (C*) or Separator (Z*), except the plain space.
const NON_PRINTABLE = /^[\p{C}\p{Z}]$/u;
const isPrintable = (ch) => ch === " " || !NON_PRINTABLE.test(ch);

/** Split on unescaped '|', unescaping `\|` and `\\`; each piece keeps the column where it starts. */
function splitUnescaped(body, startCol) {
  const pieces = [];
  let buf = [];
  let pieceCol = startCol;
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === "\\" && i + 1 < body.length && (body[i + 1] === "|" || body[i + 1] === "\\")) {
      buf.push(body[i + 1]);
      i += 2;
      continue;
    }
    if (ch === "|") {
      pieces.push([buf, pieceCol]);
      buf = [];
      pieceCol = startCol + i + 1;
    } else {
      buf.push(ch);
    }
    i += 1;
  }
  pieces.push([buf, pieceCol]);
  return pieces;
}

function stripWithCol(chars, col) {
  return [strip(chars), col + lstripLen(chars)];
}

function indexOf(chars, ch, from = 0) {
  for (let i = from; i < chars.length; i += 1) if (chars[i] === ch) return i;
  return -1;
}

function partitionColon(chars) {
  const at = indexOf(chars, ":");
  if (at < 0) return [chars, false, []];
  return [chars.slice(0, at), true, chars.slice(at + 1)];
}

/**
 * Parse keyframe text into keyframes sorted by frame ({frame, prompt, negative, seed}, with `null` where Python has
 * None). Throws PromptSyntaxError at the first problem, with the same message, line and column as Python.
 */
export function parsePrompts(text) {
  const keyframes = [];
  const seen = new Map();
  const lines = splitLines(text);
  for (let n = 0; n < lines.length; n += 1) {
    const lineno = n + 1;
    const raw = lines[n];
    const line = Array.from(raw);
    const stripped = strip(line);
    if (!stripped.length || stripped[0] === "#") continue;
    const indent = lstripLen(line);
    const col0 = indent + 1;
    const fail = (reason, col) => new PromptSyntaxError(reason, lineno, col, raw);

    // [+-]?\d+ at `indent`
    let end = indent;
    if (line[end] === "+" || line[end] === "-") end += 1;
    const digitsStart = end;
    while (end < line.length && isDigit(line[end])) end += 1;
    if (end === digitsStart) {
      const colon = indexOf(line, ":");
      if (colon < 0) {
        throw fail("missing ':' - each line reads '<frame>: <prompt>', e.g. '0: a picture of a corgi'", col0);
      }
      throw fail(`frame must be a whole number, got ${pyRepr(str(strip(line.slice(indent, colon))))}`, col0);
    }
    const after = end;
    const rest = line.slice(after);
    const gap = lstripLen(rest);
    if (rest[gap] !== ":") {
      if (strip(rest).length && !(rest.length && isSpace(rest[0])) && rest.includes(":")) {
        const word = str(strip(line.slice(indent, indexOf(line, ":"))));
        throw fail(`frame must be a whole number, got ${pyRepr(word)}`, col0);
      }
      throw fail("missing ':' after the frame number", after + gap + 1);
    }
    const frameBig = toBigInt(line.slice(indent, after));
    if (frameBig < 0n) throw fail(`frame must be 0 or more, got ${frameBig}`, col0);
    const frameKey = frameBig.toString();
    if (seen.has(frameKey)) {
      throw fail(`frame ${frameKey} already has a keyframe on line ${seen.get(frameKey)}`, col0);
    }
    const bodyStart = after + gap + 1;
    const pieces = splitUnescaped(line.slice(bodyStart), bodyStart + 1);
    const [prompt, promptCol] = stripWithCol(...pieces[0]);
    if (!prompt.length) throw fail(`empty prompt for frame ${frameKey}`, promptCol);
    const options = {};
    for (const [piece, col] of pieces.slice(1)) {
      const [key, sep, value] = partitionColon(piece);
      const [keyS, keyCol] = stripWithCol(key, col);
      const keyText = str(keyS);
      const name = Object.hasOwn(OPTION_KEYS, keyText.toLowerCase()) ? OPTION_KEYS[keyText.toLowerCase()] : null;
      if (!sep || name === null) {
        throw fail(
          `unknown option ${pyRepr(keyText)} after '|': use '| negative: <text>' or '| seed: <number>'`, keyCol);
      }
      if (name in options) throw fail(`'${name}' is given twice`, keyCol);
      const [valueS, valueCol] = stripWithCol(value, col + key.length + 1);
      if (name === "seed") {
        if (!valueS.length || !valueS.every(isDigit)) {
          throw fail(`seed must be a whole number >= 0, got ${pyRepr(str(valueS))}`, valueCol);
        }
        options.seed = Number(toBigInt(valueS));
      } else {
        options.negative = str(valueS);
      }
    }
    seen.set(frameKey, lineno);
    keyframes.push({
      frame: Number(frameBig),
      prompt: str(prompt),
      negative: options.negative ?? null,
      seed: options.seed ?? null,
    });
  }
  keyframes.sort((a, b) => a.frame - b.frame);
  return keyframes;
}

const escape = (text) => text.replaceAll("\\", "\\\\").replaceAll("|", "\\|");

export function formatKeyframe(k) {
  let line = `${k.frame}: ${escape(k.prompt)}`;
  if (k.negative !== null && k.negative !== undefined) line += rstrip(` | negative: ${escape(k.negative)}`);
  if (k.seed !== null && k.seed !== undefined) line += ` | seed: ${k.seed}`;
  return line;
}

/** Keyframes as text, one line each, sorted by frame; parsePrompts(formatPrompts(k)) gives k back. */
export function formatPrompts(keyframes) {
  return [...keyframes].sort((a, b) => a.frame - b.frame).map((k) => formatKeyframe(k) + "\n").join("");
}

/** Parse without throwing: {keyframes} or {error: {line, column, reason, message}}. */
export function tryParsePrompts(text) {
  try {
    return { keyframes: parsePrompts(text), error: null };
  } catch (err) {
    if (!(err instanceof PromptSyntaxError)) throw err;
    return { keyframes: null, error: { line: err.line, column: err.column, reason: err.reason, message: err.message } };
  }
}
