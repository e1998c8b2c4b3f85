// Readers for the container recipe (Dockerfile, .dockerignore, docker-compose.yml, .env.example,
// mosquitto.conf), so that compose.test.ts can check them without a Docker engine. Each reader
// implements only the part of its format that these files use, and throws on what it does not know
// rather than guess.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

// --- Dockerfile -------------------------------------------------------------------------------------

export type DockerInstruction = { keyword: string; args: string };
export type DockerStage = { base: string; name: string | undefined; instructions: DockerInstruction[] };
export type Dockerfile = { globalArgs: DockerInstruction[]; stages: DockerStage[] };

/** Splits a Dockerfile into stages of instructions (line continuations joined, comments dropped). */
export function parseDockerfile(text: string): Dockerfile {
  const logicalLines: string[] = [];
  let pending = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    // Docker drops comment lines even inside a continued instruction.
    if (line.startsWith('#')) continue;
    if (line === '' && pending === '') continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logicalLines.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending !== '') logicalLines.push(pending.trim());

  const dockerfile: Dockerfile = { globalArgs: [], stages: [] };
  for (const line of logicalLines) {
    if (line === '') continue;
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = match[2] ?? '';
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (from === null) throw new Error(`Cannot read FROM ${args}`);
      dockerfile.stages.push({ base: from[1] ?? '', name: from[2]?.toLowerCase(), instructions: [] });
      continue;
    }
    const stage = dockerfile.stages.at(-1);
    if (stage === undefined) {
      if (keyword !== 'ARG') throw new Error(`${keyword} before the first FROM`);
      dockerfile.globalArgs.push({ keyword, args });
      continue;
    }
    stage.instructions.push({ keyword, args });
  }
  return dockerfile;
}

/** Key/value pairs of `ENV A=1 B="two"` (and the legacy `ENV A 1`). */
export function parseEnvInstruction(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [key = '', ...rest] = args.split(/\s+/);
    return { [key]: rest.join(' ') };
  }
  const pairs: Record<string, string> = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const raw = match[2] ?? '';
    pairs[match[1] ?? ''] = /^["']/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return pairs;
}

/** Options (`--from=build`) and operands of a COPY/ADD instruction; sources then destination. */
export function parseCopyInstruction(args: string): {
  options: Record<string, string>;
  sources: string[];
  dest: string;
} {
  const options: Record<string, string> = {};
  const operands: string[] = [];
  const trimmed = args.trim();
  const words: string[] = trimmed.startsWith('[') ? (JSON.parse(trimmed) as string[]) : trimmed.split(/\s+/);
  for (const word of words) {
    const option = /^--([a-z-]+)(?:=(.*))?$/.exec(word);
    if (option !== null && operands.length === 0) options[option[1] ?? ''] = option[2] ?? 'true';
    else operands.push(word);
  }
  const dest = operands.pop();
  if (dest === undefined || operands.length === 0) throw new Error(`Cannot read COPY ${args}`);
  return { options, sources: operands, dest };
}

/** The exec form (`["node", …]`) of CMD/ENTRYPOINT/HEALTHCHECK CMD; undefined for the shell form. */
export function parseExecForm(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith('[')) return undefined;
  return JSON.parse(trimmed) as string[];
}

// --- .dockerignore ----------------------------------------------------------------------------------

type IgnoreRule = { isException: boolean; pattern: RegExp };

/** Builds `isIgnored(path)` from .dockerignore text: globs with `*`, `?`, `**`, `!` exceptions, last match wins. */
export function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const isException = line.startsWith('!');
    const glob = path.posix.normalize((isException ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, '');
    rules.push({ isException, pattern: globToRegExp(glob) });
  }
  return (relativePath) => {
    // A path is excluded when it or one of its parent directories matches.
    const parts = relativePath.split('/');
    const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
    let isIgnored = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.pattern.test(candidate))) isIgnored = !rule.isException;
    }
    return isIgnored;
  };
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] ?? '';
    if (glob.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

// --- docker-compose.yml ------------------------------------------------------------------------------

export type ComposeHealthcheck = { test?: string | string[]; disable?: boolean };
export type ComposeService = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  ports?: (string | number | { target?: number; published?: string | number })[];
  healthcheck?: ComposeHealthcheck;
  entrypoint?: string | string[];
  command?: string | string[];
};
export type ComposeFile = { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
export type ComposeMount = { kind: 'named' | 'bind'; source: string; target: string };

export function parseCompose(text: string): ComposeFile {
  const compose = parseYaml(text) as ComposeFile;
  if (typeof compose?.services !== 'object' || compose.services === null) throw new Error('no services');
  return compose;
}

/**
 * Resolves compose interpolation (`$$`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
 * `${NAME:?message}`) against `variables`. By default against none: what a fresh checkout gets.
 */
export function interpolate(value: string, variables: Record<string, string> = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, colon?: string, operator?: string, operand?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = braced ?? bare ?? '';
      const current = variables[name];
      const isUnset = current === undefined || (colon === ':' && current === '');
      if (!isUnset) return current;
      if (operator === '-') return operand ?? '';
      if (operator === '?') throw new Error(`${name} is required: ${operand ?? ''}`);
      return '';
    },
  );
}

/** A service's environment as compose passes it to the container (interpolated, stringified). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const environment: Record<string, string> = {};
  const entries: [string, unknown][] = Array.isArray(service.environment)
    ? service.environment.map((item) => {
        const at = item.indexOf('=');
        return at === -1 ? [item, undefined] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {});
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue; // passed through from the host: unset here
    environment[key] = interpolate(String(value));
  }
  return environment;
}

/** Raw (uninterpolated) environment values, to read the `${NAME:-default}` defaults. */
export function rawServiceEnvironment(service: ComposeService): Record<string, string> {
  if (Array.isArray(service.environment)) throw new Error('use the map form of environment');
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]));
}

export function serviceDependencies(service: ComposeService): Record<string, string | undefined> {
  const dependsOn = service.depends_on ?? [];
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, options]) => [name, options?.condition]));
}

export function serviceMounts(service: ComposeService): ComposeMount[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'string') {
      const [source = '', target = ''] = interpolate(volume).split(':');
      const isBind = /^[./~]/.test(source);
      return { kind: isBind ? 'bind' : 'named', source, target };
    }
    return {
      kind: volume.type === 'bind' ? 'bind' : 'named',
      source: volume.source ?? '',
      target: volume.target ?? '',
    };
  });
}

/** Container ports of a service's `ports` entries ("3000:3000", "127.0.0.1:1883:1883", { target }). */
export function serviceContainerPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return Number(port.target);
    const last = interpolate(String(port)).split(':').at(-1) ?? '';
    return Number(last.split('/')[0]);
  });
}

/** The healthcheck command as one string ('' when there is none or it is disabled). */
export function healthcheckCommand(service: ComposeService): string {
  const healthcheck = service.healthcheck;
  if (healthcheck === undefined || healthcheck.disable === true) return '';
  const test = healthcheck.test ?? [];
  const words = typeof test === 'string' ? ['CMD-SHELL', test] : test;
  if (words[0] === 'NONE') return '';
  return words
    .slice(1)
    .map((word) => interpolate(word))
    .join(' ');
}

// --- .env.example ------------------------------------------------------------------------------------

export type EnvExampleEntry = { name: string; value: string; isCommentedOut: boolean; description: string };

/** Variables of .env.example (`NAME=value` or `# NAME=value`) with the comment block above each. */
export function parseEnvExample(text: string): EnvExampleEntry[] {
  const entries: EnvExampleEntry[] = [];
  let comment: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const assignment = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment !== null) {
      entries.push({
        name: assignment[2] ?? '',
        value: (assignment[3] ?? '').trim(),
        isCommentedOut: assignment[1] !== undefined,
        description: comment.join(' '),
      });
      comment = [];
    } else if (line.startsWith('#')) {
      comment.push(line.replace(/^#\s?/, ''));
    } else {
      comment = [];
    }
  }
  return entries;
}

// --- mosquitto.conf ---------------------------------------------------------------------------------

/** Directives of a mosquitto.conf, each name with the list of its values (in order). */
export function parseMosquittoConf(text: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [name = '', ...rest] = line.split(/\s+/);
    directives.set(name, [...(directives.get(name) ?? []), rest.join(' ')]);
  }
  return directives;
}

// --- the repository ---------------------------------------------------------------------------------

/** Directories of the root package.json's workspaces that hold a package.json, relative to `root`. */
export function workspaceDirectories(root: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const directories: string[] = [];
  for (const pattern of manifest.workspaces ?? []) {
    if (!pattern.endsWith('/*') || pattern.slice(0, -2).includes('*')) {
      throw new Error(`workspace pattern ${pattern}: only "dir/*" is supported here`);
    }
    const parent = pattern.slice(0, -2);
    if (!existsSync(path.join(root, parent))) continue;
    for (const entry of readdirSync(path.join(root, parent), { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(path.join(root, parent, entry.name, 'package.json'))) {
        directories.push(`${parent}/${entry.name}`);
      }
    }
  }
  return directories.sort();
}
