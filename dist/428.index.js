export const id = 428;
export const ids = [428];
export const modules = {

/***/ 2428:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parseFile: () => (/* binding */ parseFile)
});

// UNUSED EXPORTS: MAX_ALIASES, MAX_KEYS

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/stages/parse-guards.ts
// Checks around the yaml parser for what it is too kind or too fragile for: nesting deep enough to
// overflow its stack, and `.json` files that are YAML but not JSON.

const MAX_DEPTH = 64;
/** Nesting deeper than any connector needs overflows the parser's stack (and a second such file can
 * then abort the process, Node 20): reject it first, at the place it gets too deep (issue 12). Counts
 * every way YAML nests: brackets `[` `{` outside strings and comments (JSON, flow YAML), and in block
 * YAML one level per indentation step and per compact indicator (`- - - leaf`, `? `, `: `) at the
 * start of a line. Returns the offset where the depth first exceeds MAX_DEPTH, or undefined. Linear in
 * the text's length. May over-count inside block scalars (`|`), which only matters past MAX_DEPTH. */
function tooDeep(text) {
    let flow = 0;
    let quote = '';
    /** Columns of the open block nodes, innermost last. */
    const block = [];
    let lineStart = true;
    for (let i = 0; i < text.length; i++) {
        if (lineStart && !quote && flow === 0) {
            lineStart = false;
            let col = 0;
            while (text[i + col] === ' ')
                col++;
            const first = text[i + col];
            if (first === undefined || first === '\n' || first === '\r' || first === '#') {
                i += col - 1;
                continue;
            }
            while (block.length > 0 && block[block.length - 1] >= col)
                block.pop();
            block.push(col);
            if (block.length + flow > MAX_DEPTH)
                return i + col;
            // Compact nesting: `- - - x`, `? - x`, `: - x` each open one more node on the same line.
            for (;;) {
                const c = text[i + col];
                const next = text[i + col + 1];
                if (!(c === '-' || c === '?' || c === ':') || !(next === ' ' || next === '\t' || next === '\n' || next === '\r' || next === undefined))
                    break;
                col++;
                while (text[i + col] === ' ' || text[i + col] === '\t')
                    col++;
                // An anchor or tag may stand between two indicators (`- &a - x`).
                while (text[i + col] === '&' || text[i + col] === '!') {
                    while (i + col < text.length && !/\s/.test(text[i + col]))
                        col++;
                    while (text[i + col] === ' ' || text[i + col] === '\t')
                        col++;
                }
                block.push(col);
                if (block.length + flow > MAX_DEPTH)
                    return i + col;
            }
            i += col - 1;
            continue;
        }
        const c = text[i];
        if (quote) {
            if (c === '\\' && quote === '"')
                i++;
            else if (c === quote)
                quote = '';
            else if (c === '\n' && quote === "'") {
                quote = ''; // a YAML apostrophe in plain text is not a string
                lineStart = flow === 0;
            }
        }
        else if (c === '"' || c === "'")
            quote = c;
        else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
            while (i + 1 < text.length && text[i + 1] !== '\n')
                i++;
        }
        else if (c === '{' || c === '[') {
            if (++flow + block.length > MAX_DEPTH)
                return i;
        }
        else if (c === '}' || c === ']')
            flow = Math.max(0, flow - 1);
        else if (c === '\n')
            lineStart = flow === 0;
    }
    return undefined;
}
/** Where a `.json` file that JSON.parse refused stops being JSON, found in yaml's tree: a single-quoted,
 * block or bare-word scalar, or a block (indented) collection. */
function firstNonJson(docs) {
    let at;
    for (const doc of docs) {
        (0,dist/* visit */.YR)(doc, {
            Node(_key, node) {
                const start = node.range?.[0];
                if (start === undefined || (at !== undefined && start >= at))
                    return;
                const bad = (0,dist/* isScalar */.jn)(node)
                    ? node.type !== 'QUOTE_DOUBLE' &&
                        !(node.type === 'PLAIN' && /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(String(node.source ?? node.value)))
                    : ((0,dist/* isMap */.jh)(node) || (0,dist/* isSeq */.oP)(node)) && !node.flow;
                if (bad)
                    at = start;
            }
        });
    }
    return at;
}
/** `.json` files are parsed with yaml (for lines and duplicate keys), which also accepts what JSON does
 * not (trailing commas, single quotes, comments, bare words): JSON.parse says whether it is JSON. */
function jsonProblem(file, text, lc, docs) {
    try {
        JSON.parse(text.replace(/^\uFEFF/, ''));
        return undefined;
    }
    catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        // Node's wording differs between versions and may quote the source: use only the position.
        const pos = /position (\d+)/.exec(msg);
        let offset = pos ? Number(pos[1]) : (firstNonJson(docs) ?? docs.flatMap(d => d.errors)[0]?.pos[0]);
        // JSON.parse notices a trailing comma only at the `}` or `]` after it: point at the comma itself.
        let trailingComma = false;
        if (offset !== undefined && (text[offset] === '}' || text[offset] === ']')) {
            let back = offset - 1;
            while (back >= 0 && /\s/.test(text[back]))
                back--;
            if (text[back] === ',') {
                offset = back;
                trailingComma = true;
            }
        }
        const at = offset === undefined ? { line: 1, col: 1 } : lc.linePos(offset);
        const what = trailingComma
            ? 'a trailing comma (JSON allows none before a closing bracket)'
            : /Unexpected end/i.test(msg)
                ? 'the text ends too early'
                : 'not JSON syntax here (a trailing comma, single quotes, a comment or an unquoted value?)';
        return { file, line: at.line, column: at.col, message: `not valid JSON: ${what}` };
    }
}
/** The lexer's own marks (document start, flow end, scalar start): tokens without source characters. */
const LEXER_MARKS = new Set(['\x02', '\x18', '\x1f']);
/**
 * Where the quoted scalar that is never closed opens, as a character offset into `text`, or undefined
 * when none is found. A YAML quoted scalar may span lines, so yaml reports a missing closing quote at the
 * end of the file; the user needs the line where the quote was opened. Uses yaml's Lexer: one linear pass,
 * run only after the parse failed so.
 */
function unclosedQuoteAt(text) {
    let offset = 0;
    let found;
    for (const token of new dist/* Lexer */.JG().lex(text)) {
        if (LEXER_MARKS.has(token))
            continue;
        const quote = token[0];
        if ((quote === '"' || quote === "'") && !closesItself(token))
            found = offset;
        offset += token.length;
    }
    return found;
}
/** A quoted token ends with its own quote (a double quote not escaped by a backslash). */
function closesItself(token) {
    const quote = token[0];
    if (token.length < 2 || token[token.length - 1] !== quote)
        return false;
    if (quote === "'")
        return true;
    let backslashes = 0;
    for (let i = token.length - 2; i > 0 && token[i] === '\\'; i--)
        backslashes++;
    return backslashes % 2 === 0;
}

;// CONCATENATED MODULE: ./src/stages/parse-json.ts
// The JSON fast path of the parse stage (issue 16): a `.json` text that JSON.parse accepts is turned into
// the same yaml nodes yaml's parser would make (with the same ranges), in one linear scan, so every check
// of parse.ts runs unchanged and every problem still lands on its line.

/**
 * The JSON fast path: builds the same yaml nodes (maps, sequences, scalars with their ranges and
 * types) that yaml's parser makes of a JSON text, in one linear scan, about ten times faster than
 * yaml's lexer and composer (issue 16: 2,000 connectors spent 0.4 s there). Takes text that
 * JSON.parse accepted (so the grammar is known to be right) and the offset after a BOM; returns the
 * top-level node. Recursion is bounded: a bracket that opens level `maxDepth` throws TooDeep with its
 * offset. A JSON text is one block level plus its brackets, so this is the bracket tooDeep (parse-guards.ts)
 * finds too, except where tooDeep over-counts: a line before the value that holds only a tab or a BOM
 * reads to it as one more block level.
 */
function jsonNodes(text, start, maxDepth) {
    let i = start;
    let depth = 1; // the top-level node's block level, as tooDeep counts it
    const skip = () => {
        for (;;) {
            const c = text.charCodeAt(i);
            if (c === 32 || c === 10 || c === 13 || c === 9)
                i++;
            else
                return;
        }
    };
    const string = () => {
        const s = i;
        // The closing quote: the first one after the opening that an even number of backslashes precedes.
        let q = text.indexOf('"', i + 1);
        for (;;) {
            let b = q - 1;
            while (text.charCodeAt(b) === 92)
                b--;
            if ((q - 1 - b) % 2 === 0)
                break;
            q = text.indexOf('"', q + 1);
        }
        const end = q + 1;
        i = end;
        const raw = text.slice(s, end);
        const node = new dist/* Scalar */.X5(raw.includes('\\') ? JSON.parse(raw) : raw.slice(1, -1));
        node.type = 'QUOTE_DOUBLE';
        node.range = [s, end, end];
        return node;
    };
    const plain = (value, s) => {
        const node = new dist/* Scalar */.X5(value);
        node.type = 'PLAIN';
        node.range = [s, i, i];
        node.source = text.slice(s, i);
        return node;
    };
    const value = () => {
        skip();
        const s = i;
        const c = text[i];
        if (c === '"')
            return string();
        if (c === '{' || c === '[') {
            if (++depth > maxDepth)
                throw new TooDeep(s);
            const node = c === '{' ? map(s) : seq(s);
            depth--;
            return node;
        }
        if (c === 't' || c === 'f' || c === 'n') {
            const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
            i += word.length;
            return plain(word === 'null' ? null : word === 'true', s);
        }
        while (i < text.length && /[-+.eE0-9]/.test(text[i]))
            i++;
        return plain(Number(text.slice(s, i)), s);
    };
    const map = (s) => {
        const node = new dist/* YAMLMap */.CA();
        node.flow = true;
        i++;
        skip();
        if (text[i] === '}')
            i++;
        else {
            for (;;) {
                skip();
                const key = string();
                skip();
                i++; // the colon
                node.items.push(new dist/* Pair */.Rm(key, value()));
                skip();
                if (text[i++] !== ',')
                    break;
            }
        }
        node.range = [s, i, i];
        return node;
    };
    const seq = (s) => {
        const node = new dist/* YAMLSeq */.Rw();
        node.flow = true;
        i++;
        skip();
        if (text[i] === ']')
            i++;
        else {
            for (;;) {
                node.items.push(value());
                skip();
                if (text[i++] !== ',')
                    break;
            }
        }
        node.range = [s, i, i];
        return node;
    };
    return value();
}
/** Thrown inside jsonNodes at the bracket that nests too deep; `offset` is that bracket's. */
class TooDeep extends Error {
    offset;
    constructor(offset) {
        super(`nested too deep at offset ${offset}`);
        this.offset = offset;
    }
}
/**
 * A `.json` text that is JSON: `{ node }`, its top-level node; `{ deep }` when it nests past
 * `maxDepth` levels (the offset of the bracket that does, as jsonNodes counts them), so JSON needs no
 * second scan for depth. Undefined when it is not JSON (then yaml's parser explains why not).
 */
function fastJson(text, maxDepth) {
    const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    try {
        JSON.parse(start ? text.slice(1) : text);
    }
    catch {
        return undefined;
    }
    try {
        return { node: jsonNodes(text, start, maxDepth) };
    }
    catch (err) {
        if (err instanceof TooDeep)
            return { deep: err.offset };
        throw err;
    }
}
/** Line starts of `text` into `lc`, as yaml's parser records them. */
function countLines(lc, text) {
    lc.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
        lc.addNewLine(i + 1);
}

;// CONCATENATED MODULE: ./src/stages/parse-nodes.ts
// The parse stage's shared context and node helpers: where a node is (line and column for a problem),
// aliases resolved once per document (linear), and scalars turned into config strings.

/** Most YAML aliases (`*name`) one file may hold. Aliases may only stand for scalars. */
const MAX_ALIASES = 1_000;
function rangeStart(node) {
    const range = node?.range;
    return range ? range[0] : undefined;
}
function locate(ctx, offset) {
    const { line, col } = ctx.lc.linePos(offset);
    return { line, column: col };
}
function report(ctx, offset, message) {
    ctx.problems.push({ file: ctx.file, ...locate(ctx, offset), message });
}
function quoteKey(key) {
    return JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key);
}
function deref(ctx, node) {
    return (0,dist/* isAlias */.Vj)(node) ? ctx.aliases.get(node) : node;
}
/** An alias as it may be shown: `*name` when the name is plain, else "here" (names may hold anything). */
function shownAlias(source) {
    return /^[\w.-]{1,40}$/.test(source) ? `*${source}` : 'here';
}
/**
 * Resolves every alias of a document in one walk (yaml's Alias.resolve walks the whole document per
 * alias: 6,000 aliases took over 10 s). An alias stands for the last node with its anchor before it.
 * Refuses, at the alias: more than MAX_ALIASES aliases, and aliases to an object or array. Returns
 * false when the document has such a problem (reported into ctx.problems).
 */
function resolveAliases(ctx, seen) {
    if (!ctx.doc)
        return true;
    const anchors = new Map();
    let ok = true;
    (0,dist/* visit */.YR)(ctx.doc, {
        Node(_key, node) {
            if ((0,dist/* isAlias */.Vj)(node)) {
                const at = rangeStart(node) ?? 0;
                if (++seen.count > MAX_ALIASES) {
                    if (seen.count === MAX_ALIASES + 1)
                        report(ctx, at, `more than ${MAX_ALIASES} YAML aliases (*name) in one file; write the values out`);
                    ok = false;
                    return dist/* visit */.YR.BREAK;
                }
                const target = anchors.get(node.source);
                if (target === undefined) {
                    report(ctx, at, `the alias ${shownAlias(node.source)} has no anchor before it`);
                    ok = false;
                }
                else if ((0,dist/* isCollection */.P3)(target)) {
                    report(ctx, at, `the alias ${shownAlias(node.source)} stands for ${describeNode(target)}; aliases may only stand for a single value`);
                    ok = false;
                }
                ctx.aliases.set(node, target);
            }
            else if (node.anchor)
                anchors.set(node.anchor, node);
            return undefined;
        }
    });
    return ok;
}
function describeNode(node) {
    if ((0,dist/* isMap */.jh)(node))
        return 'an object';
    if ((0,dist/* isSeq */.oP)(node))
        return 'an array';
    if ((0,dist/* isScalar */.jn)(node))
        return node.value === null || node.value === undefined ? 'null' : typeof node.value === 'string' ? 'a string' : `a ${typeof node.value}`;
    return 'empty';
}
/** The YAML 1.2 core schema's scalar tags: `!!str 12` and `!!int "7"` say what the value is written as
 * (and the non-specific `!`, which makes a scalar a string). */
const CORE_SCALAR_TAGS = new Set(['str', 'int', 'float', 'bool', 'null'].map(t => `tag:yaml.org,2002:${t}`));
/** A tag as a problem shows it: whole when short and plain, else only that there is one (it is file text). */
function shownTag(tag) {
    const short = tag.replace(/^tag:yaml\.org,2002:/, '!!');
    return /^!{1,2}[\w.:/-]{0,40}$/.test(short) ? `tagged ${short}` : 'tagged';
}
/** A scalar's string form: strings as they are, numbers and booleans as written in the file. Any tag
 * but the core schema's scalar ones (`!Ref`, `!secret`, `!!binary`, `!!timestamp`) is refused: yaml drops
 * a tag it does not know and keeps the bare text, which would send `DbHost` for `!Ref DbHost`. */
function toConfigString(ctx, raw) {
    const node = deref(ctx, raw);
    if (!(0,dist/* isScalar */.jn)(node))
        return { what: node === null || node === undefined ? 'null' : describeNode(node) };
    if (node.tag && node.tag !== '!' && !CORE_SCALAR_TAGS.has(node.tag))
        return { what: `${shownTag(node.tag)} (YAML tags are not evaluated: write the value itself)` };
    const v = node.value;
    if (typeof v === 'string')
        return { value: v };
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
        if (node.type === 'PLAIN' && node.range)
            return { value: ctx.text.slice(node.range[0], node.range[1]) };
        return { value: String(v) };
    }
    return { what: v === null || v === undefined ? 'null' : 'not a string' };
}

;// CONCATENATED MODULE: ./src/stages/parse.ts
// Stage 2: turn one file's text into connector documents. YAML goes through the YAML 1.2 parser, JSON
// through a linear fast path that builds the same nodes (parse-json.ts); both know every node's position,
// so each problem lands on its line.
// Values are never echoed in messages: only key names, and the connector's name.




/** Most keys one mapping may hold: far above any connector (the largest real ones have a few hundred),
 * low enough that a hostile file cannot make the later stages slow (issue 12). */
const MAX_KEYS = 10_000;

/** The states a wrapped document may declare (product.md 1.1, issue 14), exactly as written. */
const STATES = ['RUNNING', 'PAUSED'];
const WRAPPED_KEYS = ['name', 'config', 'environment_id', 'kafka_cluster_id', 'state'];
const EXPECTED = 'expected {"name": ..., "config": {...}} or a flat config with "name" and "connector.class"';
/** The keys of a mapping, in order, with duplicate and non-string keys reported. */
function entries(ctx, map) {
    const seen = new Map();
    const out = [];
    for (const [i, pair] of map.items.entries()) {
        const keyNode = deref(ctx, pair.key);
        const at = rangeStart(pair.key) ?? rangeStart(pair.value) ?? rangeStart(map) ?? 0;
        if (i >= MAX_KEYS) {
            report(ctx, at, `more than ${MAX_KEYS} keys in one object; a connector config has far fewer`);
            break;
        }
        if (!(0,dist/* isScalar */.jn)(keyNode) || typeof keyNode.value !== 'string') {
            // A non-string scalar key is a number, boolean or timestamp: String() shows it as written.
            // eslint-disable-next-line @typescript-eslint/no-base-to-string
            const shown = (0,dist/* isScalar */.jn)(keyNode) && keyNode.value !== null ? ` (${String(keyNode.value).slice(0, 40)})` : '';
            report(ctx, at, `every key must be a string; this key is ${describeNode(keyNode)}${shown}: quote it`);
            continue;
        }
        const key = keyNode.value;
        // A lone (unpaired) UTF-16 surrogate, such as one from a JSON `\ud800` escape, cannot be sent as UTF-8.
        if (!key.isWellFormed()) {
            report(ctx, at, 'a key is not well-formed Unicode (a lone surrogate, e.g. from a "\\ud800" escape); it cannot be sent');
            continue;
        }
        const first = seen.get(key);
        if (first !== undefined) {
            report(ctx, at, `duplicate key ${quoteKey(key)} (first on line ${locate(ctx, first).line})`);
            continue;
        }
        seen.set(key, at);
        out.push({ key, at, value: pair.value });
    }
    return out;
}
/** Converts config entries into strings and locations, reporting values that are not scalars. */
function convertEntries(ctx, list, config, locations, prefix = '') {
    for (const e of list) {
        if (e.key === '__proto__') {
            report(ctx, e.at, 'the key "__proto__" is not a connector setting and cannot be kept');
            continue;
        }
        const c = toConfigString(ctx, e.value);
        if ('what' in c) {
            const hint = e.key === '<<' ? ' (YAML merge keys are not supported)' : '';
            report(ctx, rangeStart(e.value) ?? e.at, `value of ${quoteKey(prefix + e.key)} is ${c.what}; config values must be strings${hint}`);
            continue;
        }
        if (!c.value.isWellFormed()) {
            report(ctx, rangeStart(e.value) ?? e.at, `value of ${quoteKey(prefix + e.key)} is not well-formed Unicode (a lone surrogate, e.g. from a "\\ud800" escape); it cannot be sent`);
            continue;
        }
        config[e.key] = c.value;
        locations[e.key] = locate(ctx, e.at);
    }
}
/** Says what a mapping looks like when it is clearly not a connector, or undefined. */
function notAConnector(ctx, keys) {
    if (keys.has('apiVersion') && keys.has('kind')) {
        const kind = toConfigString(ctx, keys.get('kind')?.value);
        const name = 'value' in kind && /^[A-Za-z0-9.]{1,60}$/.test(kind.value) ? `${kind.value} ` : '';
        return `this looks like a Kubernetes ${name}resource (apiVersion/kind), not a connector config; copy its connector settings into a file of their own: ${EXPECTED}`;
    }
    for (const k of ['resource', 'terraform', 'provider']) {
        if (keys.has(k) && (0,dist/* isMap */.jh)(deref(ctx, keys.get(k)?.value))) {
            return `this looks like a Terraform configuration ("${k}"), not a connector config; ${EXPECTED}`;
        }
    }
    if (!['name', 'config', 'connector.class', 'confluent.custom.plugin.id'].some(k => keys.has(k))) {
        return `this does not look like a connector: it has none of "name", "config", "connector.class"; ${EXPECTED}`;
    }
    return undefined;
}
function wrapped(ctx, raw, list, keys) {
    for (const e of list) {
        if (!WRAPPED_KEYS.includes(e.key)) {
            report(ctx, e.at, `unexpected key ${quoteKey(e.key)} next to "config": a wrapped connector has only name, config, environment_id, kafka_cluster_id and state; put connector settings inside "config"`);
        }
    }
    const outer = {};
    const outerLocations = {};
    convertEntries(ctx, list.filter(e => e.key !== 'config' && WRAPPED_KEYS.includes(e.key)), outer, outerLocations);
    const configEntry = keys.get('config');
    const configNode = deref(ctx, configEntry.value);
    if (!(0,dist/* isMap */.jh)(configNode)) {
        report(ctx, rangeStart(configEntry.value) ?? configEntry.at, `"config" is ${describeNode(configNode)}; it must be an object of connector settings`);
        return;
    }
    const inner = {};
    const innerLocations = {};
    convertEntries(ctx, entries(ctx, configNode), inner, innerLocations, 'config.');
    if (outer.name !== undefined && inner.name !== undefined && outer.name !== inner.name) {
        const at = innerLocations.name;
        ctx.problems.push({ file: ctx.file, ...at, message: `config.name ${quoteKey(inner.name)} differs from name ${quoteKey(outer.name)}; they must be equal` });
    }
    const name = outer.name ?? inner.name;
    if (name !== undefined) {
        raw.name = name;
        raw.config.name = name;
        raw.locations.name = outerLocations.name ?? innerLocations.name;
    }
    for (const [k, v] of Object.entries(inner)) {
        if (k === 'name')
            continue;
        raw.config[k] = v;
        raw.locations[k] = innerLocations[k];
    }
    if (outer.environment_id !== undefined)
        raw.environmentId = outer.environment_id;
    if (outer.kafka_cluster_id !== undefined)
        raw.kafkaClusterId = outer.kafka_cluster_id;
    if (outer.state !== undefined) {
        const state = STATES.find(s => s === outer.state);
        if (state) {
            raw.state = state;
            raw.locations.state = outerLocations.state;
        }
        else {
            const shown = /^[A-Za-z_]{1,20}$/.test(outer.state) ? ` ${quoteKey(outer.state)}` : '';
            ctx.problems.push({ file: ctx.file, ...outerLocations.state, message: `"state"${shown} must be RUNNING or PAUSED (in capitals)` });
        }
    }
}
function flat(ctx, raw, list) {
    for (const e of list) {
        if (e.key === 'environment_id' || e.key === 'kafka_cluster_id' || e.key === 'state') {
            report(ctx, e.at, `${quoteKey(e.key)} belongs to the wrapped shape {"name", "config", "${e.key}"}; in a flat config it would be sent to Confluent as a connector setting`);
        }
    }
    convertEntries(ctx, list, raw.config, raw.locations);
    if (raw.config.name !== undefined)
        raw.name = raw.config.name;
}
function parseDocument(ctx, node, index, what) {
    const resolved = deref(ctx, node);
    const at = rangeStart(node) ?? 0;
    if (!(0,dist/* isMap */.jh)(resolved)) {
        const looksLikeProperties = (0,dist/* isScalar */.jn)(resolved) && typeof resolved.value === 'string' && /^[\w.-]+\s*=/m.test(resolved.value);
        const hint = looksLikeProperties ? ' (it looks like a Java .properties file)' : '';
        report(ctx, at, `${what} is ${describeNode(resolved)}${hint}, not a connector; ${EXPECTED}`);
        return undefined;
    }
    const before = ctx.problems.length;
    const list = entries(ctx, resolved);
    const keys = new Map(list.map(e => [e.key, e]));
    const looksLike = notAConnector(ctx, keys);
    if (looksLike) {
        report(ctx, at, looksLike);
        return undefined;
    }
    const raw = { file: ctx.file, index, line: locate(ctx, at).line, config: {}, locations: {} };
    if (keys.has('config'))
        wrapped(ctx, raw, list, keys);
    else
        flat(ctx, raw, list);
    return ctx.problems.length === before ? raw : undefined;
}
/** yaml's message, cut short: some messages end with a quoted excerpt of the source, which may hold a secret. */
function shortMessage(err, text) {
    const lineStart = text.lastIndexOf('\n', err.pos[0] - 1) + 1;
    const atLineStart = text.slice(lineStart, err.pos[0]).trim() === '';
    if (atLineStart && /^Unexpected flow-map-start (token in YAML stream|at node end)/.test(err.message)) {
        return 'a second top-level object starts here; put several connectors in a JSON array [{...}, {...}] or YAML documents separated by ---';
    }
    let m = err.message.split('\n')[0].replace(/: ".*$/, '');
    if (m.length > 120)
        m = `${m.slice(0, 117)}...`;
    return m;
}
function isEmptyDocument(node) {
    if (node === null || node === undefined)
        return true;
    if (!(0,dist/* isScalar */.jn)(node) || node.value !== null)
        return false;
    const r = node.range;
    return !r || r[0] === r[1];
}
/** The connectors of one document's contents (a map, or an array of maps) into `connectors`. */
function documentContents(ctx, contents, next, connectors) {
    if ((0,dist/* isSeq */.oP)(contents)) {
        if (contents.items.length === 0)
            report(ctx, rangeStart(contents) ?? 0, 'the array is empty: file holds no connector');
        contents.items.forEach((item, i) => {
            const raw = parseDocument(ctx, item, next.index++, `array element ${i + 1}`);
            if (raw)
                connectors.push(raw);
        });
    }
    else {
        const raw = parseDocument(ctx, contents, next.index++, 'the document');
        if (raw)
            connectors.push(raw);
    }
}
/**
 * Parses one connector file's text (`file` is its workspace-relative path; `.json` files must also be
 * JSON). Returns the connector documents found and every problem, each located at a line and column;
 * never throws for bad input. Line ends may be LF, CRLF or CR alone. Linear in the text's length:
 * nesting past MAX_DEPTH, more than MAX_KEYS keys in an object or more than MAX_ALIASES aliases are
 * refused (issue 12).
 */
function parseFile(file, source) {
    // A CR alone ends a line too (YAML 1.2 b-break; JSON whitespace): as LF, at the same offset, so
    // positions and lines stay right.
    const text = source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
    const lc = new dist/* LineCounter */.HN();
    const problems = [];
    const connectors = [];
    const format = /\.json$/i.test(file) ? 'JSON' : 'YAML';
    const nestedTooDeep = (deep) => {
        lc.addNewLine(0);
        for (let i = 0; i <= deep; i++)
            if (text[i] === '\n')
                lc.addNewLine(i + 1);
        const at = lc.linePos(deep);
        problems.push({ file, line: at.line, column: at.col, message: `nested more than ${MAX_DEPTH} levels deep; a connector config is a flat map of strings` });
        return { connectors, problems };
    };
    // JSON first: the fast path measures the depth as it goes (one scan, not two).
    const json = format === 'JSON' ? fastJson(text, MAX_DEPTH) : undefined;
    if (json && 'deep' in json)
        return nestedTooDeep(json.deep);
    if (json) {
        countLines(lc, text);
        documentContents({ file, text, lc, problems, aliases: new Map() }, json.node, { index: 0 }, connectors);
        if (connectors.length === 0 && problems.length === 0)
            problems.push({ file, line: 1, column: 1, message: `file holds no connector; ${EXPECTED}` });
        return { connectors, problems };
    }
    const deep = tooDeep(text);
    if (deep !== undefined)
        return nestedTooDeep(deep);
    let parsed;
    try {
        // uniqueKeys off: yaml's check is quadratic (60,000 keys took 20 s); entries() finds duplicates.
        parsed = (0,dist/* parseAllDocuments */.hR)(text, { uniqueKeys: false, prettyErrors: false, lineCounter: lc });
    }
    catch (err) {
        problems.push({ file, line: 1, column: 1, message: `not valid ${format}: ${err instanceof Error ? err.name : 'parse error'}` });
        return { connectors, problems };
    }
    const docs = Array.isArray(parsed) ? parsed : [];
    const next = { index: 0 };
    const aliasCount = { count: 0 };
    const mayAlias = text.includes('*');
    for (const doc of docs) {
        const ctx = { file, text, lc, doc, problems, aliases: new Map() };
        const fatal = doc.errors;
        if (fatal.length > 0) {
            const more = fatal.length > 1 && !/^a second top-level/.test(shortMessage(fatal[0], text))
                ? ` (and ${fatal.length - 1} more error${fatal.length > 2 ? 's' : ''})`
                : '';
            // A quote never closed is reported at the end of the file: point at where it opens instead. (Where
            // yaml stops earlier, at a line indented too little to go on, its own position is the better one.)
            const atEnd = text.slice(fatal[0].pos[0]).trim() === '';
            const opened = atEnd && fatal[0].code === 'MISSING_CHAR' && /closing .?quote/.test(fatal[0].message) ? unclosedQuoteAt(text) : undefined;
            if (opened !== undefined) {
                report(ctx, opened, `not valid ${format}: the quote that opens here is never closed`);
                continue;
            }
            report(ctx, Math.max(0, fatal[0].pos[0]), `not valid ${format}: ${shortMessage(fatal[0], text)}${more}`);
            continue;
        }
        // An alias is written `*name`: a file without `*` has none, and needs no walk.
        if (mayAlias && !resolveAliases(ctx, aliasCount))
            continue;
        const contents = doc.contents;
        if (isEmptyDocument(contents))
            continue;
        documentContents(ctx, contents, next, connectors);
    }
    if (format === 'JSON' && text.replace(/^\uFEFF/, '').trim() !== '') {
        // Not JSON at all: say so, where it stops being JSON, rather than what yaml made of it (unless
        // yaml already explained it better: two objects one after the other).
        const problem = jsonProblem(file, text, lc, docs);
        if (problem && !problems.some(p => /a second top-level object/.test(p.message)))
            return { connectors: [], problems: [problem] };
    }
    if (connectors.length === 0 && problems.length === 0)
        problems.push({ file, line: 1, column: 1, message: `file holds no connector; ${EXPECTED}` });
    return { connectors, problems };
}


/***/ })

};
