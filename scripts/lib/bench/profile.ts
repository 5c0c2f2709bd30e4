import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile (node --cpu-prof) that a summary needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
  /** Microseconds on the monotonic clock that process.hrtime() reads too. */
  startTime: number;
}

/** A stretch of time (monotonic clock, microseconds) when a server was under measured load. */
export type Window = [startUs: number, endUs: number];

/** Now on the clock V8's profiler stamps samples with, for a Window. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Where a frame's code lives: a package, our code, Node's internals, or V8's pseudo-frames. */
export function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/(functions\/[^/]+|scripts|db)\//.exec(url);
  return ours ? ours[1] : url.split('/').slice(-2).join('/');
}

const FRAMEWORK = new Set(['@google-cloud/functions-framework', 'express', 'router', 'body-parser', 'on-finished', 'ee-first', 'parseurl', 'finalhandler', 'type-is', 'content-type', 'raw-body', 'qs', 'path-to-regexp', 'depd', 'send', 'statuses', 'http-errors', 'media-typer', 'iconv-lite', 'fresh', 'accepts', 'negotiator', 'mime-types', 'proxy-addr', 'forwarded', 'ipaddr.js', 'safe-buffer', 'unpipe', 'encodeurl', 'escape-html', 'vary', 'cookie', 'cookie-signature', 'utils-merge', 'merge-descriptors', 'methods', 'range-parser', 'setprototypeof', 'inherits', 'bytes', 'destroy', 'etag', 'serve-static', 'call-bind', 'get-intrinsic', 'side-channel', 'object-inspect', 'es-errors', 'function-bind', 'hasown', 'has-symbols', 'gopd', 'dunder-proto', 'es-define-property', 'es-object-atoms', 'math-intrinsics', 'call-bound', 'side-channel-list', 'side-channel-map', 'side-channel-weakmap', 'once', 'wrappy', 'content-disposition', 'mime-db', 'cloudevents', 'minimist', 'semver']);
const DRIVER = new Set(['pg', 'pg-promise', 'pg-pool', 'pg-protocol', 'pg-types', 'pg-connection-string', 'pg-minify', 'spex', 'assert-options', 'postgres-array', 'postgres-bytea', 'postgres-date', 'postgres-interval', 'pgpass', 'split2', 'pg-int8']);

/**
 * Which layer a sample belongs to: walking its stack from the leaf, the first frame that says.
 * Native socket writes and GC are their own layers; a package's code (and the Node internals it
 * calls) counts for its layer; our code is functions/ and valibot.
 */
function layer(stack: Array<{ functionName: string; url: string }>): string {
  const leaf = stack[0];
  if (leaf.functionName === '(garbage collector)') return 'GC';
  if (leaf.functionName === '(program)' || leaf.functionName === '(idle)' || leaf.functionName === '(root)') return leaf.functionName;
  if (['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String'].includes(leaf.functionName) && !leaf.url) return 'socket writes (syscalls)';
  for (const f of stack) {
    if (f.url.startsWith('node:domain')) return 'node:domain (framework wraps each request)';
    if (/^node:(_http_|net|stream|internal\/streams|internal\/stream_base)/.test(f.url)) return 'node http, net and streams';
    const who = owner(f.url, f.functionName);
    if (FRAMEWORK.has(who)) return 'framework (functions-framework, express, body-parser ...)';
    if (DRIVER.has(who)) return 'database driver (pg, pg-promise)';
    if (who === 'valibot' || who.startsWith('functions/')) return 'ours (functions/, valibot)';
    if (who === 'tsx' || who === 'esbuild' || f.functionName === 'compileForInternalLoader' || f.functionName === 'wrapSafe') return 'startup (loading code)';
    if (who === 'scripts') return 'bench server code';
  }
  return 'other node internals (timers, microtasks ...)';
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  busyMs: number;
  /** Busy time by layer, ms. */
  byLayer: Array<[string, number]>;
  /** Self time by owner, ms, busiest first. */
  selfByOwner: Array<[string, number]>;
  /** Samples with a frame of the owner anywhere on the stack, ms (a package's code plus what it calls). */
  inclusiveByOwner: Array<[string, number]>;
  topSelf: Array<[string, number]>;
}

/**
 * With `windows`, only the samples taken inside them count: the measured load, not start-up,
 * warm-up or the requests that found free slots beforehand.
 */
export function summariseProfile(file: string, top = 25, windows?: readonly Window[]): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (windows && !windows.some(([a, b]) => at >= a && at <= b)) return;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const selfByOwner = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const topSelf = new Map<string, number>();
  const byLayer = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += ms;
    if (functionName === '(idle)') idle += ms;
    const who = owner(url, functionName);
    selfByOwner.set(who, (selfByOwner.get(who) ?? 0) + ms);
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|functions|scripts)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    topSelf.set(key, (topSelf.get(key) ?? 0) + ms);
    const seen = new Set<string>();
    const stack: Array<{ functionName: string; url: string }> = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      seen.add(owner(f.url, f.functionName));
      stack.push(f);
    }
    const l = layer(stack);
    byLayer.set(l, (byLayer.get(l) ?? 0) + ms);
    for (const w of seen) inclusive.set(w, (inclusive.get(w) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { file, totalMs: total, busyMs: total - idle, byLayer: sorted(byLayer), selfByOwner: sorted(selfByOwner), inclusiveByOwner: sorted(inclusive), topSelf: sorted(topSelf) };
}

export function formatSummary(s: ProfileSummary): string {
  const pct = (ms: number) => `${((ms / Math.max(s.busyMs, 1)) * 100).toFixed(1).padStart(5)}%`;
  const rows = (list: Array<[string, number]>, n: number) => list.slice(0, n).map(([k, ms]) => `    ${pct(ms)}  ${k}`).join('\n');
  return [
    `  ${s.file}: ${Math.round(s.busyMs)} ms busy of ${Math.round(s.totalMs)} ms (shares are of busy time)`,
    '  by layer (each sample to the first frame on its stack that names one):',
    rows(s.byLayer.filter(([k]) => k !== '(idle)'), 12),
    '  self time by owner:',
    rows(s.selfByOwner.filter(([k]) => k !== '(idle)'), 12),
    '  on the stack (inclusive) by owner:',
    rows(s.inclusiveByOwner.filter(([k]) => k !== '(idle)' && k !== '(root)'), 14),
    '  top functions by self time:',
    rows(s.topSelf.filter(([k]) => !k.startsWith('(idle)')), 20),
  ].join('\n');
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) console.log(formatSummary(summariseProfile(file)) + '\n');
}
