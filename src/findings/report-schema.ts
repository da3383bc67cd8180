/**
 * The JSON report of `lint` and `analyze`, written down once: the TypeScript type, the same
 * shape as a JSON Schema (draft 2020-12), and a small validator for the subset of JSON
 * Schema used here. The README ("Findings JSON") describes it for people. Change them together.
 */
import type { Finding, PhoneRef } from './finding.js';

export type ReportCommand = 'lint' | 'analyze';

export interface ReportInput {
  readonly kind: 'tftp-root' | 'capture' | 'console' | 'server-log';
  readonly path: string;
  /** A console or server log: how much of it was read and understood. */
  readonly lines?: ReportInputLines;
  /** The input is damaged or cut part-way (INPUT_DAMAGED). */
  readonly damage?: ReportInputDamage;
}

export interface ReportInputDamage {
  /** Byte offset in the file where the damage starts. */
  readonly offset: number;
  /** The capture frame the damage is in (1-based). */
  readonly frame?: number;
  /** The first and last damaged lines of a log (1-based). */
  readonly line?: number;
  readonly lastLine?: number;
  /** What was read: frames of a capture before the damage, lines of a log (the damaged ones left out). */
  readonly framesRead?: number;
  readonly linesRead?: number;
  /** Nothing after the damage was read (a capture cut or broken there, a log whose last line is cut). */
  readonly endsInput: boolean;
  /** What was wrong, in plain words. */
  readonly text: string;
}

/** The lines of a log input, blank lines not counted (a line broken in two counts as its two lines). */
export interface ReportInputLines {
  readonly read: number;
  /** Lines that became evidence (a request, an outcome, a DHCP message, a phone's state...). */
  readonly used: number;
  /** Lines no recogniser knows (lines of other programs in a shared syslog among them). */
  readonly notUnderstood: number;
  /** The first few of those, by 1-based line number, as written. */
  readonly firstNotUnderstood: readonly { readonly line: number; readonly text: string }[];
}

export interface ReportImage {
  readonly protocol: 'SIP' | 'SCCP' | 'loader';
  /** As Cisco writes it: `8.12`, `8.1(2)SR2`. */
  readonly version: string;
  /** Base name as the files write it: `P0S3-8-12-00`. */
  readonly image: string;
}

export type ReportAnswer = 'found' | 'not-found' | 'denied' | 'too-large' | 'failed' | 'no-answer';

export interface ReportRequest {
  /** Exactly as the phone sends it. */
  readonly file: string;
  readonly answer: ReportAnswer;
  /** True for requests phonedoc predicts (lint), false for requests seen (analyze). */
  readonly predicted: boolean;
}

export interface ReportPhone extends PhoneRef {
  readonly model?: '7940' | '7960';
  /** The image in flash when the evidence starts. */
  readonly running?: ReportImage;
  /** `running` was not given nor seen: phonedoc took the image the TFTP root names. */
  readonly runningAssumed?: boolean;
  /** The image the phone is sent to (or asked to reach with `--target`). */
  readonly target?: ReportImage;
  /** Conversion flow, e.g. `sccp-to-sip-loader`, `sip-to-sccp-config`, `sip-boot`. */
  readonly flow?: string;
  /** One sentence: where the phone ends. */
  readonly lastStep?: string;
  readonly requests?: readonly ReportRequest[];
}

export interface ReportAssumption {
  readonly id: string;
  readonly text: string;
}

export interface Report {
  readonly tool: 'phonedoc';
  readonly version: string;
  readonly command: ReportCommand;
  readonly inputs: readonly ReportInput[];
  readonly phones: readonly ReportPhone[];
  readonly findings: readonly Finding[];
  readonly summary: { readonly error: number; readonly warning: number; readonly info: number };
  /** Undocumented firmware behaviour the prediction rested on. */
  readonly assumptions: readonly ReportAssumption[];
}

const MAC_PATTERN = '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$';

export const REPORT_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://phonedoc.invalid/report.schema.json',
  title: 'phonedoc report',
  type: 'object',
  additionalProperties: false,
  required: ['tool', 'version', 'command', 'inputs', 'phones', 'findings', 'summary', 'assumptions'],
  properties: {
    tool: { const: 'phonedoc' },
    version: { type: 'string', minLength: 1 },
    command: { enum: ['lint', 'analyze'] },
    inputs: { type: 'array', items: { $ref: '#/$defs/input' } },
    phones: { type: 'array', items: { $ref: '#/$defs/phone' } },
    findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
    summary: {
      type: 'object',
      additionalProperties: false,
      required: ['error', 'warning', 'info'],
      properties: {
        error: { type: 'integer', minimum: 0 },
        warning: { type: 'integer', minimum: 0 },
        info: { type: 'integer', minimum: 0 },
      },
    },
    assumptions: { type: 'array', items: { $ref: '#/$defs/assumption' } },
  },
  $defs: {
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'path'],
      properties: {
        kind: { enum: ['tftp-root', 'capture', 'console', 'server-log'] },
        path: { type: 'string', minLength: 1 },
        lines: { $ref: '#/$defs/inputLines' },
        damage: { $ref: '#/$defs/damage' },
      },
    },
    inputLines: {
      type: 'object',
      additionalProperties: false,
      required: ['read', 'used', 'notUnderstood', 'firstNotUnderstood'],
      properties: {
        read: { type: 'integer', minimum: 0 },
        used: { type: 'integer', minimum: 0 },
        notUnderstood: { type: 'integer', minimum: 0 },
        firstNotUnderstood: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['line', 'text'],
            properties: { line: { type: 'integer', minimum: 1 }, text: { type: 'string' } },
          },
        },
      },
    },
    damage: {
      type: 'object',
      additionalProperties: false,
      required: ['offset', 'endsInput', 'text'],
      properties: {
        offset: { type: 'integer', minimum: 0 },
        frame: { type: 'integer', minimum: 1 },
        line: { type: 'integer', minimum: 1 },
        lastLine: { type: 'integer', minimum: 1 },
        framesRead: { type: 'integer', minimum: 0 },
        linesRead: { type: 'integer', minimum: 0 },
        endsInput: { type: 'boolean' },
        text: { type: 'string', minLength: 1 },
      },
    },
    image: {
      type: 'object',
      additionalProperties: false,
      required: ['protocol', 'version', 'image'],
      properties: {
        protocol: { enum: ['SIP', 'SCCP', 'loader'] },
        version: { type: 'string', minLength: 1 },
        image: { type: 'string', minLength: 1 },
      },
    },
    request: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'answer', 'predicted'],
      properties: {
        file: { type: 'string', minLength: 1 },
        answer: { enum: ['found', 'not-found', 'denied', 'too-large', 'failed', 'no-answer'] },
        predicted: { type: 'boolean' },
      },
    },
    phone: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mac: { type: 'string', pattern: MAC_PATTERN },
        ip: { type: 'string', minLength: 1 },
        model: { enum: ['7940', '7960'] },
        running: { $ref: '#/$defs/image' },
        runningAssumed: { type: 'boolean' },
        target: { $ref: '#/$defs/image' },
        flow: { type: 'string', minLength: 1 },
        lastStep: { type: 'string', minLength: 1 },
        requests: { type: 'array', items: { $ref: '#/$defs/request' } },
      },
    },
    phoneRef: {
      type: 'object',
      additionalProperties: false,
      properties: { mac: { type: 'string', pattern: MAC_PATTERN }, ip: { type: 'string', minLength: 1 } },
    },
    evidence: {
      type: 'object',
      additionalProperties: false,
      required: ['source', 'file', 'text'],
      properties: {
        source: { enum: ['capture', 'console', 'server-log', 'tftp-root'] },
        file: { type: 'string', minLength: 1 },
        frame: { type: 'integer', minimum: 1 },
        line: { type: 'integer', minimum: 1 },
        time: { type: 'string', minLength: 1 },
        text: { type: 'string', minLength: 1 },
      },
    },
    finding: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'severity', 'title', 'explanation', 'evidence', 'fix'],
      properties: {
        id: { type: 'string', pattern: '^[A-Z0-9_]+$' },
        severity: { enum: ['error', 'warning', 'info'] },
        phone: { $ref: '#/$defs/phoneRef' },
        title: { type: 'string', minLength: 1 },
        explanation: { type: 'string', minLength: 1 },
        evidence: { type: 'array', minItems: 1, items: { $ref: '#/$defs/evidence' } },
        fix: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        causedBy: { type: 'string', pattern: '^[A-Z0-9_]+$' },
      },
    },
    assumption: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'text'],
      properties: { id: { type: 'string', minLength: 1 }, text: { type: 'string', minLength: 1 } },
    },
  },
} as const;

/** The part of JSON Schema the validator understands: what REPORT_JSON_SCHEMA uses. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: SchemaNode;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly pattern?: string;
}

interface SchemaDocument extends SchemaNode {
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
}

const SUPPORTED = new Set([
  '$schema',
  '$id',
  'title',
  '$defs',
  '$ref',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'minLength',
  'minimum',
  'pattern',
]);

/**
 * Validates `value` against a schema written in the subset above; returns the problems as
 * `path: message` strings (empty when valid). A keyword outside the subset is an error of
 * the schema, so that a schema edit the validator would ignore cannot pass unnoticed.
 */
export function validateAgainstSchema(value: unknown, schema: SchemaDocument = REPORT_JSON_SCHEMA): string[] {
  const problems: string[] = [];
  const defs = schema.$defs ?? {};
  const check = (node: SchemaNode, v: unknown, at: string): void => {
    for (const key of Object.keys(node))
      if (!SUPPORTED.has(key)) problems.push(`${at}: schema keyword "${key}" is not supported by the validator`);
    if (node.$ref) {
      const name = /^#\/\$defs\/(.+)$/.exec(node.$ref)?.[1];
      const target = name === undefined ? undefined : defs[name];
      if (!target) problems.push(`${at}: unknown $ref ${node.$ref}`);
      else check(target, v, at);
      return;
    }
    if ('const' in node && v !== node.const) problems.push(`${at}: must be ${JSON.stringify(node.const)}`);
    if (node.enum && !node.enum.includes(v))
      problems.push(`${at}: must be one of ${node.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    if (node.type && !hasType(v, node.type)) {
      problems.push(`${at}: must be ${node.type === 'integer' ? 'an integer' : `of type ${node.type}`}`);
      return;
    }
    if (typeof v === 'string') {
      if (node.minLength !== undefined && v.length < node.minLength)
        problems.push(`${at}: must not be shorter than ${node.minLength}`);
      if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(v))
        problems.push(`${at}: must match ${node.pattern}`);
    }
    if (typeof v === 'number' && node.minimum !== undefined && v < node.minimum)
      problems.push(`${at}: must be at least ${node.minimum}`);
    if (Array.isArray(v)) {
      if (node.minItems !== undefined && v.length < node.minItems)
        problems.push(`${at}: must hold at least ${node.minItems} item(s)`);
      const { items } = node;
      if (items)
        v.forEach((item, i) => {
          check(items, item, `${at}[${i}]`);
        });
    } else if (isObject(v)) {
      for (const key of node.required ?? []) if (!(key in v)) problems.push(`${at}: property "${key}" is required`);
      for (const [key, item] of Object.entries(v)) {
        const sub = node.properties?.[key];
        if (sub) check(sub, item, `${at}.${key}`);
        else if (node.additionalProperties === false) problems.push(`${at}: property "${key}" is not allowed`);
      }
    }
  };
  check(schema, value, '$');
  return problems;
}

/** Throws when `value` is not a valid report; the message lists every problem. */
export function assertValidReport(value: unknown): asserts value is Report {
  const problems = validateAgainstSchema(value);
  if (problems.length) throw new Error(`not a valid phonedoc report:\n${problems.join('\n')}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(v: unknown, type: NonNullable<SchemaNode['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
  }
}
