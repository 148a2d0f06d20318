// Bad input, end to end against the built action: every malformed file, pattern or input value fails
// the step with a clear error that names the file (or pattern, or input), the line and the problem,
// and nothing at all is sent to the API. Each case runs the action once; the runs go in parallel
// (each case has its own environment id, so a stray request names the case that sent it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction, type ActionRun } from '../../test-support/run-action.js'

interface Expected {
  /** The annotation's file (a path, or the pattern for pattern problems); undefined: no file. */
  file?: string
  /** Acceptable lines; undefined: the annotation carries no line requirement. */
  line?: number[]
  message: RegExp
}

interface Case {
  name: string
  files?: Record<string, string>
  inputs?: Record<string, string>
  /** Extra workspace setup (symlinks). */
  setup?: (workspace: string) => void
  expect: Expected[]
  /** Extra checks on the run. */
  check?: (run: ActionRun) => void
}

const C = 'DatagenSource'
const flat = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, 'connector.class': C, ...extra }, null, 2)

const OUTSIDE = mkdtempSync(path.join(tmpdir(), 'apply-connectors-outside-'))
writeFileSync(path.join(OUTSIDE, 'outside.json'), flat('outside'))

const INJECTED = 'connectors/a\n::warning file=README.md,line=1::Plan approved\n::stop-commands::x\n.json'
const ALIASES = `name: aliases\nconnector.class: ${C}\nt: &t v\n${Array.from({ length: 6000 }, (_, i) => `k${i}: *t\n`).join('')}`
const MANY_KEYS = JSON.stringify(
  { name: 'keys', 'connector.class': C, ...Object.fromEntries(Array.from({ length: 60000 }, (_, i) => [`k${i}`, 'v'])) },
  null,
  2
)
const DEEP_DASHES = `${'- '.repeat(1000)}leaf\n`

const BIG = `{\n  "name": "big",\n  "connector.class": "${C}",\n  "padding": "${'x'.repeat(1024 * 1024)}"\n}\n`

const CASES: Case[] = [
  // --- files that do not parse ---
  {
    name: 'invalid JSON: a missing comma',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource"\n  "kafka.topic": "t"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [3, 4], message: /not valid JSON/ }]
  },
  {
    name: 'invalid JSON: an unclosed object',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n' },
    expect: [{ file: 'connectors/a.json', line: [3, 4], message: /not valid JSON/ }]
  },
  {
    name: 'invalid JSON: two top-level objects one after the other',
    files: { 'connectors/a.json': `${flat('a')}\n${flat('b')}\n` },
    expect: [{ file: 'connectors/a.json', line: [5], message: /second top-level object/ }]
  },
  {
    name: 'invalid JSON: a trailing comma',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [3], message: /not valid JSON: a trailing comma/ }]
  },
  {
    name: 'invalid JSON: single quotes',
    files: { 'connectors/a.json': "{\n  'name': 'a',\n  'connector.class': 'DatagenSource'\n}\n" },
    expect: [{ file: 'connectors/a.json', line: [2], message: /not valid JSON/ }]
  },
  {
    name: 'invalid JSON: a comment',
    files: { 'connectors/a.json': '{\n  // the source\n  "name": "a",\n  "connector.class": "DatagenSource"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [2], message: /not valid JSON/ }]
  },
  {
    name: 'invalid JSON: an unquoted value',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": DatagenSource\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [3], message: /not valid JSON/ }]
  },
  {
    name: 'two files nested 1000 levels deep (used to abort the process)',
    files: { 'connectors/a.json': `${'['.repeat(1000)}${']'.repeat(1000)}`, 'connectors/b.json': `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}` },
    expect: [
      { file: 'connectors/a.json', line: [1], message: /nested more than 64 levels/ },
      { file: 'connectors/b.json', line: [1], message: /nested more than 64 levels/ }
    ]
  },
  {
    name: 'a file that is not UTF-8',
    files: { 'connectors/ok.json': '{"name": "ok", "connector.class": "DatagenSource"}' },
    // Latin-1 bytes: {"name":"café","connector.class":"X"} with é as the single byte 0xE9.
    setup: ws => writeFileSync(path.join(ws, 'connectors', 'a.json'), Buffer.from('{\n"name": "caf\u00e9",\n"connector.class": "X"}', 'latin1')),
    expect: [{ file: 'connectors/a.json', line: [2], message: /not UTF-8/ }]
  },
  {
    name: 'invalid YAML: a wrongly indented key',
    files: { 'connectors/a.yaml': 'name: a\nconnector.class: DatagenSource\n  kafka.topic: t\n' },
    expect: [{ file: 'connectors/a.yaml', line: [2, 3], message: /not valid YAML/ }]
  },
  {
    name: 'invalid YAML: an unclosed quote',
    files: { 'connectors/a.yml': 'name: a\nconnector.class: "DatagenSource\nkafka.topic: t\n' },
    expect: [{ file: 'connectors/a.yml', line: [2], message: /not valid YAML: the quote that opens here is never closed/ }]
  },
  {
    name: 'invalid YAML: tab indentation',
    files: { 'connectors/a.yaml': 'name: a\nconfig:\n\tconnector.class: DatagenSource\n' },
    expect: [{ file: 'connectors/a.yaml', line: [3], message: /not valid YAML.*[Tt]ab/ }]
  },
  // --- duplicate keys ---
  {
    name: 'duplicate key in a flat JSON config',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "kafka.topic": "t1",\n  "kafka.topic": "t2"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [5], message: /duplicate key "kafka\.topic"/ }]
  },
  {
    name: 'duplicate key inside a wrapped config (YAML)',
    files: { 'connectors/a.yaml': 'name: a\nconfig:\n  connector.class: DatagenSource\n  tasks.max: 1\n  tasks.max: 2\n' },
    expect: [{ file: 'connectors/a.yaml', line: [5], message: /duplicate key "tasks\.max"/ }]
  },
  // --- required keys ---
  {
    name: 'missing name',
    files: { 'connectors/a.json': JSON.stringify({ 'connector.class': C, 'kafka.topic': 't' }, null, 2) },
    expect: [{ file: 'connectors/a.json', line: [1], message: /no "name"/ }]
  },
  {
    name: 'missing connector.class (flat)',
    files: { 'connectors/a.json': JSON.stringify({ name: 'a', 'kafka.topic': 't' }, null, 2) },
    expect: [{ file: 'connectors/a.json', line: [1], message: /"a".*missing "connector\.class"/ }]
  },
  {
    name: 'missing connector.class (wrapped, second YAML document)',
    files: { 'connectors/a.yaml': `name: ok\nconnector.class: ${C}\n---\nname: b\nconfig:\n  kafka.topic: t\n` },
    expect: [{ file: 'connectors/a.yaml', line: [4], message: /"b".*missing "connector\.class"/ }]
  },
  {
    name: 'CUSTOM connector without confluent.custom.plugin.id',
    files: { 'connectors/a.json': JSON.stringify({ name: 'a', 'confluent.connector.type': 'CUSTOM' }, null, 2) },
    expect: [{ file: 'connectors/a.json', line: [1], message: /confluent\.custom\.plugin\.id/ }]
  },
  {
    name: 'empty name',
    files: { 'connectors/a.json': '{\n  "name": "",\n  "connector.class": "DatagenSource"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [2], message: /"name" is empty/ }]
  },
  {
    name: 'name with surrounding whitespace',
    files: { 'connectors/a.json': '{\n  "name": " a ",\n  "connector.class": "DatagenSource"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [2], message: /whitespace/ }]
  },
  // --- values that are not strings ---
  {
    name: 'null value',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "kafka.topic": null\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [4], message: /"kafka\.topic" is null/ }]
  },
  {
    name: 'object value',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "transforms": {"a": "b"}\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [4], message: /"transforms" is an object/ }]
  },
  {
    name: 'array value (YAML, inside config)',
    files: { 'connectors/a.yaml': 'name: a\nconfig:\n  connector.class: DatagenSource\n  topics:\n    - a\n    - b\n' },
    expect: [{ file: 'connectors/a.yaml', line: [4, 5], message: /"config\.topics" is an array/ }]
  },
  {
    name: 'YAML key that is not a string',
    files: { 'connectors/a.yaml': 'name: a\nconnector.class: DatagenSource\n1: x\n' },
    expect: [{ file: 'connectors/a.yaml', line: [3], message: /key must be a string/ }]
  },
  // --- shape ---
  {
    name: 'config.name different from name',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "config": {\n    "connector.class": "DatagenSource",\n    "name": "b"\n  }\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [5], message: /config\.name "b" differs from name "a"/ }]
  },
  {
    name: 'unexpected key next to "config"',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "tasks.max": "1",\n  "config": {"connector.class": "DatagenSource"}\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [3], message: /unexpected key "tasks\.max"/ }]
  },
  {
    name: 'environment_id in a flat config',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "environment_id": "env-x"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [4], message: /"environment_id" belongs to the wrapped shape/ }]
  },
  {
    name: 'the same connector twice on one cluster (two files)',
    files: { 'connectors/a.json': flat('twice'), 'connectors/b.yaml': `name: twice\nconnector.class: ${C}\n` },
    expect: [{ file: 'connectors/b.yaml', line: [1], message: /"twice" is defined twice.*connectors\/a\.json:2/ }]
  },
  {
    name: 'the same connector twice on one cluster (one array, once via environment_id)',
    inputs: { 'environment-id': 'env-same', 'kafka-cluster-id': 'lkc-same' },
    files: {
      'connectors/a.json': `[\n${flat('twice')},\n${JSON.stringify({ name: 'twice', environment_id: 'env-same', kafka_cluster_id: 'lkc-same', config: { 'connector.class': C } })}\n]\n`
    },
    expect: [{ file: 'connectors/a.json', line: [6], message: /"twice" is defined twice for env-same\/lkc-same/ }]
  },
  // --- placeholders ---
  {
    name: 'unknown secrets placeholder',
    inputs: { secrets: JSON.stringify({ OTHER: 'x' }) },
    files: { 'connectors/a.yaml': `name: a\nconnector.class: ${C}\ndatabase.password: "\${{ secrets.DB_PASSWORD }}"\n` },
    expect: [{ file: 'connectors/a.yaml', line: [3], message: /secrets\.DB_PASSWORD.*"database\.password"/ }]
  },
  {
    name: 'unknown vars placeholder',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "topics": "${{ vars.TOPIC }}"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [4], message: /vars\.TOPIC/ }]
  },
  {
    name: 'a ${{ }} expression that is not secrets/vars',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "topics": "${{ github.token }}"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [4], message: /github\.token.*only .*secrets\.NAME/ }]
  },
  {
    name: 'an unterminated ${{',
    files: { 'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "topics": "${{ secrets.X"\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [4], message: /without its closing/ }]
  },
  // --- files that are not connectors ---
  {
    name: 'empty file',
    files: { 'connectors/a.json': '' },
    expect: [{ file: 'connectors/a.json', line: [1], message: /holds no connector/ }]
  },
  {
    name: 'YAML file holding only comments',
    files: { 'connectors/a.yaml': '# nothing here yet\n\n' },
    expect: [{ file: 'connectors/a.yaml', line: [1], message: /holds no connector/ }]
  },
  {
    name: 'empty JSON array',
    files: { 'connectors/a.json': '[]\n' },
    expect: [{ file: 'connectors/a.json', line: [1], message: /array is empty/ }]
  },
  {
    name: 'a JSON string instead of an object',
    files: { 'connectors/a.json': '"DatagenSource"\n' },
    expect: [{ file: 'connectors/a.json', line: [1], message: /is a string, not a connector/ }]
  },
  {
    name: 'a Kubernetes resource (Strimzi KafkaConnector)',
    files: {
      'connectors/a.yaml':
        '# a CRD\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaConnector\nmetadata:\n  name: x\nspec:\n  class: FileStreamSource\n  config:\n    topic: t\n'
    },
    expect: [{ file: 'connectors/a.yaml', line: [1, 2], message: /Kubernetes KafkaConnector resource/ }]
  },
  {
    name: 'a JSON object that is no connector (package.json-like)',
    files: { 'connectors/a.json': '{\n  "version": "1.0.0",\n  "private": true\n}\n' },
    expect: [{ file: 'connectors/a.json', line: [1], message: /does not look like a connector/ }]
  },
  // --- patterns and files on disk ---
  {
    name: 'a glob matching nothing',
    inputs: { files: 'connectors/nothing/**/*.json' },
    expect: [{ message: /connectors\/nothing\/\*\*\/\*\.json/ }]
  },
  {
    name: 'a pattern reaching outside the workspace (..)',
    inputs: { files: '../*/outside.json' },
    expect: [{ file: '../*/outside.json', message: /outside the workspace/ }]
  },
  {
    name: 'an absolute pattern',
    inputs: { files: `${OUTSIDE}/*.json` },
    expect: [{ file: `${OUTSIDE}/*.json`, message: /outside the workspace/ }]
  },
  {
    name: 'a pattern that climbs out after a directory',
    inputs: { files: 'connectors/../../*/outside.json' },
    expect: [{ message: /outside the workspace/ }]
  },
  {
    name: 'a symlink to a file outside the workspace',
    files: { 'connectors/good.json': flat('good') },
    setup: ws => symlinkSync(path.join(OUTSIDE, 'outside.json'), path.join(ws, 'connectors', 'link.json')),
    expect: [{ file: 'connectors/link.json', message: /symlink to a file outside the workspace/ }]
  },
  {
    name: 'only a symlink to a file outside the workspace: its refusal, and no "no file matched" beside it',
    setup: ws => {
      mkdirSync(path.join(ws, 'connectors'), { recursive: true })
      symlinkSync(path.join(OUTSIDE, 'outside.json'), path.join(ws, 'connectors', 'link.json'))
    },
    expect: [{ file: 'connectors/link.json', message: /symlink to a file outside the workspace/ }],
    check: run => expect(run.annotations.filter(a => /no connector file matched/.test(a.message))).toEqual([])
  },
  {
    name: 'a file too large to be a config',
    files: { 'connectors/big.json': BIG },
    expect: [{ file: 'connectors/big.json', message: /at most 1 MiB/ }]
  },
  {
    name: 'a matched file in an unsupported format',
    inputs: { files: 'connectors/*' },
    files: { 'connectors/a.properties': 'name=a\nconnector.class=DatagenSource\n' },
    expect: [{ file: 'connectors/a.properties', message: /not a supported format/ }]
  },
  // --- targets and credentials ---
  {
    name: 'no environment-id anywhere',
    inputs: { 'environment-id': '' },
    files: { 'connectors/a.json': flat('a') },
    expect: [{ file: 'connectors/a.json', line: [1], message: /no environment-id/ }]
  },
  {
    name: 'an environment_id with a slash',
    files: { 'connectors/a.json': JSON.stringify({ name: 'a', environment_id: 'env-1/../../x', config: { 'connector.class': C } }, null, 2) },
    expect: [{ file: 'connectors/a.json', line: [1], message: /environment_id .*slash/ }]
  },
  {
    name: 'no Kafka credentials in the file nor the inputs',
    inputs: { 'kafka-api-key': '', 'kafka-api-secret': '' },
    files: { 'connectors/a.json': flat('a') },
    expect: [{ file: 'connectors/a.json', line: [1], message: /missing "kafka\.api\.key"/ }]
  },
  // --- several problems at once: all reported ---
  {
    name: 'three broken files: one annotation each',
    files: {
      'connectors/1.json': '{"name": "x", "connector.class": "DatagenSource", "name": "y"}',
      'connectors/2.yaml': 'name: z\nconnector.class: DatagenSource\npassword: ${{ secrets.NOPE }}\n',
      'connectors/3.json': '{\n  "connector.class": "DatagenSource"\n}\n',
      'connectors/ok.json': flat('fine')
    },
    expect: [
      { file: 'connectors/1.json', line: [1], message: /duplicate key "name"/ },
      { file: 'connectors/2.yaml', line: [3], message: /secrets\.NOPE/ },
      { file: 'connectors/3.json', line: [1], message: /no "name"/ }
    ]
  },
  // --- hostile input (issue 12) ---
  {
    name: 'a file name that would issue workflow commands',
    files: { [INJECTED]: flat('injected'), 'connectors/ok.json': flat('ok') },
    expect: [
      { message: /^the file name "connectors\/a\\n::warning file=README\.md,line=1::Plan approved\\n::stop-commands::x\\n\.json" holds a control character/ }
    ],
    check: run => {
      expect(run.stdout).not.toMatch(/^::(warning|stop-commands)/m)
      expect(run.annotations.filter(a => a.level === 'warning' && /Plan approved/.test(a.message))).toEqual([])
    }
  },
  {
    name: 'a FIFO matching the glob (used to block forever)',
    files: { 'connectors/ok.json': flat('ok') },
    setup: ws => execFileSync('mkfifo', [path.join(ws, 'connectors', 'fifo.json')]),
    expect: [{ file: 'connectors/fifo.json', message: /not a regular file/ }]
  },
  {
    name: '6,000 YAML aliases (used to take over 25 s)',
    files: { 'connectors/a.yaml': ALIASES },
    expect: [{ file: 'connectors/a.yaml', line: [1004], message: /more than 1000 YAML aliases/ }]
  },
  {
    name: 'an alias to an object',
    files: { 'connectors/a.yaml': `base: &b\n  connector.class: ${C}\nname: a\nconfig: *b\n` },
    expect: [{ file: 'connectors/a.yaml', line: [4], message: /alias \*b stands for an object/ }]
  },
  {
    name: 'one connector with 60,000 keys (used to take 30 s)',
    files: { 'connectors/a.json': MANY_KEYS },
    expect: [{ file: 'connectors/a.json', line: [10002], message: /more than 10000 keys/ }]
  },
  {
    name: 'a value of 80,000 "${{" (used to take 10 s)',
    files: { 'connectors/a.json': `{\n  "name": "a",\n  "connector.class": "${C}",\n  "topics": "${'${{'.repeat(80000)}"\n}\n` },
    expect: [{ file: 'connectors/a.json', line: [4], message: /without its closing/ }]
  },
  {
    name: 'two files of compact block sequences 1000 deep (used to abort Node 20 silently)',
    files: { 'connectors/a.yaml': DEEP_DASHES, 'connectors/b.yml': `name: b\nx:\n${DEEP_DASHES}` },
    expect: [
      { file: 'connectors/a.yaml', line: [1], message: /nested more than 64 levels/ },
      { file: 'connectors/b.yml', line: [3], message: /nested more than 64 levels/ }
    ]
  },
  {
    name: 'connector names "." and ".."',
    files: { 'connectors/a.json': flat('.'), 'connectors/b.yaml': `name: ".."\nconnector.class: ${C}\n` },
    expect: [
      { file: 'connectors/a.json', line: [2], message: /name "\." is not allowed/ },
      { file: 'connectors/b.yaml', line: [1], message: /name "\.\." is not allowed/ }
    ]
  },
  {
    name: 'a lone surrogate in a password (used to crash with URIError)',
    files: { 'connectors/a.json': `{\n  "name": "a",\n  "connector.class": "${C}",\n  "database.password": "x\\ud800"\n}\n` },
    expect: [{ file: 'connectors/a.json', line: [4], message: /"database\.password" is not well-formed Unicode/ }]
  },
  {
    name: 'JSON with CR-only line ends: accepted, and its error on the right line',
    files: { 'connectors/a.json': `{\r  "name": "a",\r  "connector.class": "${C}",\r  "kafka.topic": null\r}\r` },
    expect: [{ file: 'connectors/a.json', line: [4], message: /"kafka\.topic" is null/ }]
  },
  // --- declared state (issue 14) ---
  {
    name: 'a declared state other than RUNNING or PAUSED',
    files: { 'connectors/a.yaml': `name: a\nstate: running\nconfig:\n  connector.class: ${C}\n` },
    expect: [{ file: 'connectors/a.yaml', line: [2], message: /"state" "running" must be RUNNING or PAUSED/ }]
  },
  {
    name: 'state in a flat config',
    files: { 'connectors/a.json': flat('a', { state: 'PAUSED' }) },
    expect: [{ file: 'connectors/a.json', line: [4], message: /"state" belongs to the wrapped shape/ }]
  },
  {
    name: 'CUSTOM connector without connector.class',
    files: { 'connectors/a.json': JSON.stringify({ name: 'a', 'confluent.connector.type': 'CUSTOM', 'confluent.custom.plugin.id': 'ccp-1' }, null, 2) },
    expect: [{ file: 'connectors/a.json', line: [1], message: /missing "connector\.class" \(the API refuses a CUSTOM connector without its class\)/ }]
  },
  // --- input values ---
  { name: 'max-concurrency: abc', inputs: { 'max-concurrency': 'abc' }, expect: [{ message: /"max-concurrency".*"abc"/ }] },
  { name: 'max-concurrency: 0', inputs: { 'max-concurrency': '0' }, expect: [{ message: /"max-concurrency".*1 to 64/ }] },
  { name: 'max-retries: -1', inputs: { 'max-retries': '-1' }, expect: [{ message: /"max-retries"/ }] },
  { name: 'request-timeout: 0', inputs: { 'request-timeout': '0' }, expect: [{ message: /"request-timeout"/ }] },
  { name: 'wait-timeout: 10m', inputs: { 'wait-timeout': '10m' }, expect: [{ message: /"wait-timeout"/ }] },
  { name: 'dry-run: maybe', inputs: { 'dry-run': 'maybe' }, expect: [{ message: /"dry-run".*true or false/ }] },
  { name: 'api-url over plain http to a remote host', inputs: { 'api-url': 'http://api.confluent.cloud' }, expect: [{ message: /"api-url" must use https/ }] },
  { name: 'api-url that is not a URL', inputs: { 'api-url': 'api.confluent.cloud' }, expect: [{ message: /"api-url" is not a URL/ }] },
  { name: 'api-url with another scheme', inputs: { 'api-url': 'ftp://127.0.0.1/' }, expect: [{ message: /"api-url" must use https/ }] },
  { name: 'api-secret missing', inputs: { 'api-secret': '' }, expect: [{ message: /"api-secret" is required/ }] },
  { name: 'secrets that start like JSON but are not', inputs: { secrets: '{"DB_PASSWORD": "x",}' }, expect: [{ message: /"secrets".*not valid JSON/ }] },
  { name: 'secrets that are a JSON array', inputs: { secrets: '["x"]' }, expect: [{ message: /"secrets"/ }] },
  { name: 'vars lines without NAME=', inputs: { vars: 'TOPIC=orders\njust a value' }, expect: [{ message: /"vars" line 2: expected NAME=value/ }] }
]

let fake: FakeConfluent
const runs = new Map<string, ActionRun>()

async function inBatches<T>(items: T[], size: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))
}

beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: 'BADKEY', secret: 'bad-input-secret' }] })
  await inBatches(CASES, 6, async (c, i) => {
    fake.addCluster(`env-case${i}`, 'lkc-case')
    const workspace = makeWorkspace({ ...(c.files ?? {}), 'README.md': 'not a connector' })
    c.setup?.(workspace)
    const run = await runAction({
      inputs: {
        'api-url': fake.url,
        'api-key': 'BADKEY',
        'api-secret': 'bad-input-secret',
        'environment-id': `env-case${i}`,
        'kafka-cluster-id': 'lkc-case',
        'kafka-api-key': 'KAFKAKEY',
        'kafka-api-secret': 'bad-input-kafka-secret',
        ...(c.inputs ?? {})
      },
      workspace
    })
    runs.set(c.name, run)
  })
}, 120_000)
afterAll(async () => fake.close())

describe('bad input: a located error, and nothing sent', () => {
  it('sent not a single request in any case', () => {
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([])
  })

  it.each(CASES.map(c => [c.name, c] as const))('%s', (_name, c) => {
    const run = runs.get(c.name) as ActionRun
    // Failed, cleanly: exit 1, no crash, no stack trace.
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    expect(run.stdout).not.toMatch(/crashed|TypeError|ReferenceError|\n\s+at .*\.js:\d+/)
    const errors = run.annotations.filter(a => a.level === 'error')
    expect(errors.length).toBeGreaterThan(0)
    for (const e of errors) expect(e.message).not.toMatch(/undefined|\[object Object\]|NaN/)
    for (const want of c.expect) {
      const match = errors.find(
        a =>
          want.message.test(a.message) &&
          (want.file === undefined || a.file === want.file) &&
          (want.line === undefined || (a.line !== undefined && want.line.includes(a.line)))
      )
      const seen = errors.map(a => `${a.file ?? '-'}:${a.line ?? '-'} ${a.message}`).join('\n')
      const wanted = `${want.file ?? '-'}:${want.line?.join('|') ?? '-'} ${String(want.message)}`
      expect(match ? 'found' : `no error annotation ${wanted}; the error annotations were:\n${seen}`).toBe('found')
    }
    c.check?.(run)
    // File problems are also listed in the job summary, which says that nothing was sent.
    if (c.expect.some(e => e.file !== undefined)) expect(run.summary).toContain('Nothing was sent')
    expect(JSON.parse(run.outputs.results ?? '[]')).toEqual([])
  })
})
