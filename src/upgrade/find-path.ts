/**
 * The shortest legal chain of images from what a phone runs to what it should run: a
 * search over the known releases (parsers/firmware/releases.ts) with the moves of rules.ts.
 * No move a source puts in doubt when a route without one exists, then fewest protocol
 * conversions (a conversion is the risky reboot: do it once), then fewest steps, then
 * fewest steps that rest on the seed tech note alone or on an inference;
 * then rule order and the newest intermediate.
 */
import { tftpFilesFor } from '../../parsers/firmware/bundles.js';
import type { TftpFileSet } from '../../parsers/firmware/bundles.js';
import type { ImageName } from '../../parsers/firmware/image-name.js';
import { isDos83BaseName } from '../../parsers/firmware/naming.js';
import { findRelease, KNOWN_RELEASES } from '../../parsers/firmware/releases.js';
import { SOURCES, sourceLabels } from '../../parsers/firmware/sources.js';
import { compareVersions, v } from '../../parsers/firmware/version.js';
import type { ApplicationProtocol, FirmwareVersion, ProtocolVersion } from '../../parsers/firmware/version.js';
import { applicationOf, firmwareLabel, firmwareOf } from './firmware.js';
import type { Firmware } from './firmware.js';
import { gkdefaultImageFiles, provisioningFor } from './provisioning.js';
import type { ProvisioningEntry } from './provisioning.js';
import { BLOCK_RULES, MOVE_RULES } from './rules.js';
import type { BlockRule, MoveRule, VersionRange } from './rules.js';

export interface UpgradeStep {
  readonly image: string;
  readonly protocol: ApplicationProtocol;
  readonly version: FirmwareVersion;
  /** Everything to put in the TFTP root: the firmware files, then the provisioning files to edit. */
  readonly files: readonly string[];
  readonly zip: TftpFileSet;
  readonly provisioning: readonly ProvisioningEntry[];
  readonly rule: MoveRule;
  /** The rule's reason with its sources, then how the provisioning files name the image. */
  readonly why: string;
}

export interface UpgradePath {
  readonly from?: Firmware;
  readonly to?: Firmware;
  readonly legal: boolean;
  readonly steps: readonly UpgradeStep[];
  /** Why there is no legal path; for a legal one, the notes below in one paragraph. */
  readonly reason?: string;
  /** For a legal path: the step count, why not in one step, what to be careful about. */
  readonly notes?: readonly string[];
  /** A shorter route through a move a source puts in doubt, shown beside the one chosen, with the doubt. */
  readonly doubted?: { readonly steps: readonly UpgradeStep[]; readonly doubt: string };
}

export type MoveVerdict =
  | { readonly legal: true; readonly rule: MoveRule }
  | { readonly legal: false; readonly block?: BlockRule; readonly reason: string };

export interface PathOptions {
  /** Releases to add to the known ones (phone-facts 4.2 lists no SCCP 4.x, for instance). */
  readonly releases?: readonly ProtocolVersion[];
}

function inRange(firmware: ProtocolVersion, range: VersionRange): boolean {
  if (firmware.protocol !== range.protocol) return false;
  const mm: FirmwareVersion = { major: firmware.version.major, minor: firmware.version.minor, maintenance: 0 };
  if (range.min && compareVersions(mm, v(range.min)) < 0) return false;
  if (range.below && compareVersions(mm, v(range.below)) >= 0) return false;
  if (range.exactly && compareVersions(mm, v(range.exactly)) !== 0) return false;
  return true;
}

const inAny = (firmware: ProtocolVersion, ranges: readonly VersionRange[]): boolean =>
  ranges.some((r) => inRange(firmware, r));

function order(from: ProtocolVersion, to: ProtocolVersion): number {
  return from.protocol === to.protocol ? Math.sign(compareVersions(to.version, from.version)) : NaN;
}

function moveMatches(rule: MoveRule, from: Firmware, to: Firmware, destination: boolean): boolean {
  if (!inAny(from, rule.from) || !inAny(to, rule.to)) return false;
  if (rule.direction === 'up' && order(from, to) !== 1) return false;
  if (rule.direction === 'down' && order(from, to) !== -1) return false;
  if (order(from, to) === 0) return false;
  return destination || !rule.onlyToDestination;
}

function blockMatches(rule: BlockRule, from: Firmware, to: Firmware): boolean {
  if (!inAny(from, rule.from) || (rule.to && !inAny(to, rule.to))) return false;
  if (rule.when === 'downgrade') return order(from, to) === -1;
  if (rule.when === 'target-name-not-8.3') return !isDos83BaseName(to.image);
  return true;
}

/** Whether one move (one reboot onto a new image) is legal, and the rule that allows or forbids it. */
export function checkMove(from: Firmware, to: Firmware, options: { readonly destination?: boolean } = {}): MoveVerdict {
  const block = BLOCK_RULES.find((b) => blockMatches(b, from, to));
  if (block) {
    return {
      legal: false,
      block,
      reason: `${block.reason}${block.via ? ` Go through ${block.via.text}.` : ''} (${sourceLabels(block.source)})`,
    };
  }
  const rule = MOVE_RULES.find((m) => moveMatches(m, from, to, options.destination ?? true));
  if (rule) return { legal: true, rule };
  return {
    legal: false,
    reason: `No documented move leads from ${firmwareLabel(from)} directly to ${firmwareLabel(to)}.`,
  };
}

/** A rule resting on the seed tech note or an observation alone, or on our reading. */
function isWeak(rule: MoveRule): boolean {
  return rule.inferred !== undefined || !rule.source.some((id) => SOURCES[id].confidence === 'P');
}

function toFirmware(input: ImageName | ProtocolVersion): Firmware | string {
  if ('input' in input) {
    const app = applicationOf(input);
    return 'refused' in app ? app.refused : app;
  }
  return firmwareOf(input);
}

export function findUpgradePath(
  fromInput: ImageName | ProtocolVersion,
  toInput: ImageName | ProtocolVersion,
  options: PathOptions = {},
): UpgradePath {
  const from = toFirmware(fromInput);
  const to = toFirmware(toInput);
  if (typeof from === 'string') return { legal: false, steps: [], reason: from };
  if (typeof to === 'string') return { legal: false, steps: [], reason: to };
  if (firmwareLabel(from) === firmwareLabel(to)) {
    const note = `The phone already runs ${firmwareLabel(to)}; nothing to load.`;
    return { from, to, legal: true, steps: [], reason: note, notes: [note] };
  }

  const nodes = new Map<string, Firmware>();
  for (const release of [from, to, ...KNOWN_RELEASES.map(firmwareOf), ...(options.releases ?? []).map(firmwareOf)]) {
    if (!nodes.has(firmwareLabel(release))) nodes.set(firmwareLabel(release), release);
  }
  // Newest first, so that among equal chains the newest intermediate of a generation wins.
  const graph: Graph = {
    candidates: [...nodes.values()].sort((a, b) => compareVersions(b.version, a.version)),
    destinationKey: firmwareLabel(to),
    moves: new Map(),
  };

  const hops = route(from, to, graph, 0);
  if (!hops) return { from, to, legal: false, steps: [], reason: refusal(from, to, graph) };
  const steps = hops.map((hop) => stepOf(hop.from, hop.to, hop.rule));
  const notes = legalNotes(from, to, steps, options);
  const shorter = search(from, to, graph, { avoidDoubt: false });
  const doubts = [...new Set((shorter ?? []).flatMap((h) => (h.rule.doubt ? [h.rule.doubt] : [])))];
  const doubted =
    shorter && doubts.length && shorter.length < hops.length
      ? { steps: shorter.map((hop) => stepOf(hop.from, hop.to, hop.rule)), doubt: doubts.join(' ') }
      : undefined;
  return { from, to, legal: true, steps, reason: notes.join(' '), notes, ...(doubted ? { doubted } : {}) };
}

interface Graph {
  readonly candidates: readonly Firmware[];
  /** The final destination: rules marked onlyToDestination may lead only there. */
  readonly destinationKey: string;
  /** Legal moves out of each image, in preference order, computed once per image. */
  readonly moves: Map<string, readonly Hop[]>;
}

interface Hop {
  readonly from: Firmware;
  readonly to: Firmware;
  readonly rule: MoveRule;
}

/** The newest known release in a block's "go through" range, other than the two ends. */
function viaRelease(block: BlockRule | undefined, from: Firmware, to: Firmware, graph: Graph): Firmware | undefined {
  const range = block?.via?.range;
  if (!range) return undefined;
  return graph.candidates.find(
    (c) => inRange(c, range) && firmwareLabel(c) !== firmwareLabel(from) && firmwareLabel(c) !== firmwareLabel(to),
  );
}

/**
 * When the direct move is blocked by a rule that names the way round, go that way (the
 * route the source gives); otherwise, or if that way is not possible, search.
 */
function route(from: Firmware, to: Firmware, graph: Graph, depth: number): Hop[] | undefined {
  if (firmwareLabel(from) === firmwareLabel(to)) return [];
  const direct = checkMove(from, to, { destination: firmwareLabel(to) === graph.destinationKey });
  const via = direct.legal || depth > 8 ? undefined : viaRelease(direct.block, from, to, graph);
  if (via) {
    const first = route(from, via, graph, depth + 1);
    const second = first && route(via, to, graph, depth + 1);
    if (first && second) {
      const hops = [...first, ...second];
      const visited = new Set([firmwareLabel(from), ...hops.map((h) => firmwareLabel(h.to))]);
      if (visited.size === hops.length + 1) return hops;
    }
  }
  return search(from, to, graph);
}

interface Visit {
  readonly node: Firmware;
  readonly cost: readonly [doubted: number, conversions: number, steps: number, weak: number];
  readonly seq: number;
  readonly previous?: Visit;
  readonly rule?: MoveRule;
}

function costLess(a: readonly number[], b: readonly number[]): boolean {
  for (const [i, x] of a.entries()) {
    const y = b[i];
    if (y !== undefined && x !== y) return x < y;
  }
  return false;
}

function movesFrom(from: Firmware, graph: Graph): readonly Hop[] {
  const key = firmwareLabel(from);
  let moves = graph.moves.get(key);
  if (!moves) {
    const found: Hop[] = [];
    const reached = new Set<string>();
    const blocks = BLOCK_RULES.filter((b) => inAny(from, b.from));
    for (const rule of MOVE_RULES) {
      if (!inAny(from, rule.from)) continue;
      for (const to of graph.candidates) {
        const toKey = firmwareLabel(to);
        if (reached.has(toKey) || !moveMatches(rule, from, to, toKey === graph.destinationKey)) continue;
        if (blocks.some((b) => blockMatches(b, from, to))) continue;
        reached.add(toKey);
        found.push({ from, to, rule });
      }
    }
    moves = found;
    graph.moves.set(key, moves);
  }
  return moves;
}

/**
 * Uniform-cost search (Dijkstra on a cost vector) over the known releases. Moves a source
 * puts in doubt count first unless `avoidDoubt` is false: a documented route wins over a
 * shorter doubted one.
 */
function search(
  from: Firmware,
  to: Firmware,
  graph: Graph,
  options: { readonly avoidDoubt?: boolean } = {},
): Hop[] | undefined {
  const avoidDoubt = options.avoidDoubt ?? true;
  const targetKey = firmwareLabel(to);
  const best = new Map<string, Visit>();
  const done = new Set<string>();
  let seq = 0;
  best.set(firmwareLabel(from), { node: from, cost: [0, 0, 0, 0], seq: seq++ });
  for (;;) {
    let current: Visit | undefined;
    for (const [key, visit] of best) {
      if (done.has(key)) continue;
      if (
        !current ||
        costLess(visit.cost, current.cost) ||
        (!costLess(current.cost, visit.cost) && visit.seq < current.seq)
      )
        current = visit;
    }
    if (!current) return undefined;
    const here = current;
    const hereKey = firmwareLabel(here.node);
    if (hereKey === targetKey) break;
    done.add(hereKey);
    for (const { to: next, rule } of movesFrom(here.node, graph)) {
      const key = firmwareLabel(next);
      if (done.has(key)) continue;
      const cost = [
        here.cost[0] + (avoidDoubt && rule.doubt ? 1 : 0),
        here.cost[1] + (next.protocol === here.node.protocol ? 0 : 1),
        here.cost[2] + 1,
        here.cost[3] + (isWeak(rule) ? 1 : 0),
      ] as const;
      const known = best.get(key);
      if (!known || costLess(cost, known.cost)) best.set(key, { node: next, cost, seq: seq++, previous: here, rule });
    }
  }
  const hops: Hop[] = [];
  for (let visit = best.get(targetKey); visit?.previous && visit.rule; visit = visit.previous) {
    hops.unshift({ from: visit.previous.node, to: visit.node, rule: visit.rule });
  }
  return hops;
}

function refusal(from: Firmware, to: Firmware, graph: Graph): string {
  const direct = checkMove(from, to);
  if (direct.legal)
    return (
      `No legal route leads from ${firmwareLabel(from)} to ` +
      `${firmwareLabel(to)} through the releases phonedoc knows.`
    );
  if (!direct.block) {
    return (
      `No documented route leads from ${firmwareLabel(from)} to ${firmwareLabel(to)}, ` +
      `directly or through the releases phonedoc knows.`
    );
  }
  const missing = direct.block.via?.range && !viaRelease(direct.block, from, to, graph);
  const noRelease = ' phonedoc knows no such release: add one to the known releases to plan through it.';
  return `${direct.reason}${missing ? noRelease : ''}`;
}

/** The rule's reason, its sources, and our reading when it is one. */
export function ruleWhy(rule: MoveRule): string {
  const inferred = rule.inferred ? ` [inferred: ${rule.inferred}]` : '';
  const doubt = rule.doubt ? ` In doubt: ${rule.doubt}` : '';
  return `${rule.reason} (${sourceLabels(rule.source)})${inferred}${doubt}`;
}

function stepOf(from: Firmware, to: Firmware, rule: MoveRule): UpgradeStep {
  const zip = tftpFilesFor(to, to.image);
  const provisioning = provisioningFor(rule.method, from, to, zip);
  const files = [
    ...zip.files.map((f) => f.name),
    ...gkdefaultImageFiles(provisioning),
    ...provisioning.filter((p) => p.required).flatMap((p) => p.files.slice(0, 1)),
  ];
  const namedBy = provisioning
    .filter((p) => p.required)
    .map((p) => p.how)
    .join('; ');
  const why = `${ruleWhy(rule)} How: ${namedBy}.`;
  return {
    image: to.image,
    protocol: to.protocol,
    version: to.version,
    files: [...new Set(files)],
    zip,
    provisioning,
    rule,
    why,
  };
}

function legalNotes(from: Firmware, to: Firmware, steps: readonly UpgradeStep[], options: PathOptions): string[] {
  const notes = [
    `${steps.length} step${steps.length === 1 ? '' : 's'} from ${firmwareLabel(from)} to ${firmwareLabel(to)}.`,
  ];
  const direct = steps.length > 1 ? checkMove(from, to) : undefined;
  if (direct && !direct.legal) {
    notes.push(`Not in one step: ${direct.reason}`);
    const via = direct.block?.via;
    const range = via?.range;
    if (via && range && !steps.some((s) => inRange(s, range))) {
      notes.push(`phonedoc knows no release for "${via.text}", so the route goes another legal way.`);
    }
  }
  const added = (f: ProtocolVersion): boolean =>
    (options.releases ?? []).some((r) => firmwareLabel(r) === firmwareLabel(f));
  for (const end of [from, to]) {
    if (!findRelease(end.protocol, end.version) && !added(end)) {
      notes.push(`${firmwareLabel(end)} is not among the releases Cisco's readmes and guides list: check the version.`);
    }
  }
  const weak = steps.flatMap((s, i) => (isWeak(s.rule) ? [i + 1] : []));
  if (weak.length) {
    notes.push(
      `Step${weak.length === 1 ? '' : 's'} ${weak.join(', ')} rest${weak.length === 1 ? 's' : ''} ` +
        `on Cisco tech note 5455 alone or on phonedoc's reading of it.`,
    );
  }
  if (steps.some((s) => s.zip.inferred))
    notes.push(
      "File lists marked inferred come from the release's generation, not from a zip seen whole: unpack the whole zip.",
    );
  return notes;
}
