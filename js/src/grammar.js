// The keyframe text grammar of giffusion_widgets/prompts.py, rule for rule:
//
//   # comments and blank lines are ignored
//   0: a picture of a corgi
//   60: a picture of a lion | negative: blurry | seed: 7
//
// The rules are small so both languages state them the same way: lines end at \n, \r\n or \r; a leading
// byte-order mark is ignored; blanks are tab and the Unicode space separators; frames and seeds use the digits 0-9;
// a prompt needs a visible character. Columns count code points, as Python's do. tests/fixtures/grammar_cases.json
// (made by the Python parser) keeps the two in step, bounds included.

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

const OPTION_KEYS = { negative: "negative", neg: "negative", seed: "seed", image: "image" };
// project.MAX_FRAMES and project.MAX_SEED (the fixture holds cases on both sides of each).
const MAX_FRAMES = 100000;
const MAX_FRAME = MAX_FRAMES - 1;
const MAX_SEED = Number.MAX_SAFE_INTEGER;
// project.BLANK: tab and the space separators (category Zs), written out as Python writes them.
const BLANK = new Set("\t \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000");
// project.invisible(): characters of the categories Zs, Zl, Zp, Cc, Cf.
const INVISIBLE = /^[\p{Zs}\p{Zl}\p{Zp}\p{Cc}\p{Cf}]*$/u;

const isBlank = (ch) => BLANK.has(ch);
const invisible = (text) => INVISIBLE.test(text);
const str = (chars) => chars.join("");

/** The lines of prompt text: a leading byte-order mark dropped, ends at \n, \r\n or \r only. */
export function splitLines(text) {
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Text as an error message quotes it: in double quotes, characters that do not show written \u{hex}. */
export function quote(text) {
  const shown = (ch) => {
    if (ch === '"' || ch === "\\") return `\\${ch}`;
    return ch === " " || !invisible(ch) ? ch : `\\u{${ch.codePointAt(0).toString(16)}}`;
  };
  return `"${Array.from(text, shown).join("")}"`;
}

function leadingBlanks(chars) {
  let i = 0;
  while (i < chars.length && isBlank(chars[i])) i += 1;
  return i;
}

function strip(chars) {
  let a = 0;
  let b = chars.length;
  while (a < b && isBlank(chars[a])) a += 1;
  while (b > a && isBlank(chars[b - 1])) b -= 1;
  return chars.slice(a, b);
}

const tooBig = (digits, limit) => Number(digits) > limit;

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

const stripWithCol = (chars, col) => [strip(chars), col + leadingBlanks(chars)];

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
    const indent = leadingBlanks(line);
    const col0 = indent + 1;
    const fail = (reason, col) => new PromptSyntaxError(reason, lineno, col, raw);

    const match = /^([+-]?)([0-9]+)/.exec(str(line.slice(indent)));
    if (!match) {
      const colon = line.indexOf(":");
      if (colon < 0) {
        throw fail("missing ':' - each line reads '<frame>: <prompt>', e.g. '0: a picture of a corgi'", col0);
      }
      throw fail(`frame must be a whole number (digits 0-9), got ${quote(str(strip(line.slice(indent, colon))))}`,
        col0);
    }
    const [written, sign, digits] = match;
    const after = indent + written.length;
    const rest = line.slice(after);
    const gap = leadingBlanks(rest);
    if (rest[gap] !== ":") {
      if (strip(rest).length && !isBlank(rest[0]) && rest.includes(":")) {
        throw fail(`frame must be a whole number (digits 0-9), got ${quote(str(strip(line.slice(indent, line.indexOf(":")))))}`,
          col0);
      }
      throw fail("missing ':' after the frame number", after + gap + 1);
    }
    if (sign === "-" && /[1-9]/.test(digits)) throw fail("frame must be 0 or more", col0);
    if (tooBig(digits, MAX_FRAME)) {
      throw fail(`frame must be at most ${MAX_FRAME} (an animation has at most ${MAX_FRAMES} frames)`, col0);
    }
    const frame = Number(digits);
    if (seen.has(frame)) throw fail(`frame ${frame} already has a keyframe on line ${seen.get(frame)}`, col0);
    const bodyStart = after + gap + 1;
    const pieces = splitUnescaped(line.slice(bodyStart), bodyStart + 1);
    const [promptChars, promptCol] = stripWithCol(...pieces[0]);
    const prompt = str(promptChars);
    if (!prompt) throw fail(`empty prompt for frame ${frame}`, promptCol);
    if (invisible(prompt)) {
      throw fail(`the prompt for frame ${frame} has only invisible characters (${quote(prompt)})`, promptCol);
    }
    const options = {};
    for (const [piece, col] of pieces.slice(1)) {
      const colon = piece.indexOf(":");
      const key = colon < 0 ? piece : piece.slice(0, colon);
      const [keyChars, keyCol] = stripWithCol(key, col);
      const keyText = str(keyChars);
      const name = Object.hasOwn(OPTION_KEYS, keyText.toLowerCase()) ? OPTION_KEYS[keyText.toLowerCase()] : null;
      if (colon < 0 || name === null) {
        throw fail(
          `unknown option ${quote(keyText)} after '|': use '| negative: <text>', '| seed: <number>' or '| image: <file>'`,
          keyCol,
        );
      }
      if (name in options) throw fail(`'${name}' is given twice`, keyCol);
      const [valueChars, valueCol] = stripWithCol(piece.slice(colon + 1), col + key.length + 1);
      const value = str(valueChars);
      if (name === "seed") {
        if (!/^[0-9]+$/.test(value)) {
          throw fail(`seed must be a whole number >= 0 (digits 0-9), got ${quote(value)}`, valueCol);
        }
        if (tooBig(value, MAX_SEED)) throw fail(`seed must be at most ${MAX_SEED}`, valueCol);
        options.seed = Number(value);
      } else if (name === "image") {
        if (!value) throw fail("image needs a picture file, e.g. '| image: cat.png'", valueCol);
        options.image = value;
      } else {
        options.negative = value;
      }
    }
    seen.set(frame, lineno);
    const keyframe = { frame, prompt, negative: options.negative ?? null, seed: options.seed ?? null };
    if (options.image !== undefined) keyframe.image = options.image; // only when given, as Python's to_dict
    keyframes.push(keyframe);
  }
  keyframes.sort((a, b) => a.frame - b.frame);
  return keyframes;
}

const escapeField = (text) => text.replaceAll("\\", "\\\\").replaceAll("|", "\\|");

/** One keyframe as a line of prompt text (no line end). */
export function formatKeyframe(k) {
  let line = `${k.frame}: ${escapeField(k.prompt)}`;
  if (k.negative !== null && k.negative !== undefined) line += k.negative ? ` | negative: ${escapeField(k.negative)}` : " | negative:";
  if (k.seed !== null && k.seed !== undefined) line += ` | seed: ${k.seed}`;
  if (k.image !== null && k.image !== undefined) line += ` | image: ${escapeField(k.image)}`;
  return line;
}

/** Keyframes as text, one line each, sorted by frame; parsePrompts(formatPrompts(k)) gives k back. */
export function formatPrompts(keyframes) {
  return [...keyframes].sort((a, b) => a.frame - b.frame).map((k) => `${formatKeyframe(k)}\n`).join("");
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
