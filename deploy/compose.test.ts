// The container recipe checked without a Docker engine: docker-compose.yml, the Dockerfile,
// .dockerignore, deploy/mosquitto/mosquitto.conf and .env.example must agree with each other and with
// the app's configuration contract (the env variables, and the zod env schemas of the apps).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ComposeService,
  type DockerStage,
  dockerignoreMatcher,
  healthcheckCommand,
  parseCompose,
  parseCopyInstruction,
  parseDockerfile,
  parseEnvExample,
  parseEnvInstruction,
  parseExecForm,
  parseMosquittoConf,
  rawServiceEnvironment,
  serviceContainerPorts,
  serviceDependencies,
  serviceEnvironment,
  serviceMounts,
  workspaceDirectories,
} from './container-recipe.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Variables the container needs set whatever the env schemas' defaults say: without them it would
 * start embedded services instead of using the compose ones, or listen where the published port
 * cannot reach. The schemas' own required variables (no default, not optional) are added to these
 * by `requiredEnvKeys()`.
 */
const REQUIRED_ENV_KEYS = ['DATABASE_URL', 'MQTT_URL', 'HOST', 'PORT', 'TAKT_DATA_DIR'];

/** The app's configuration contract: every one must be documented in .env.example. */
const ENV_CONTRACT = [
  'DATABASE_URL',
  'MQTT_URL',
  'HOST',
  'PORT',
  'TAKT_DATA_DIR',
  'EMBEDDED_DB_PORT',
  'EMBEDDED_MQTT_PORT',
  'LOG_LEVEL',
  'SEED_DEMO_DATA',
  'SIMULATOR_ENABLED',
  'SIMULATOR_SEED',
  'SIMULATOR_SPEED',
  'SIMULATOR_PROTOCOLS',
  'SIMULATOR_OPCUA_PORT',
  'SIMULATOR_SPARKPLUG_GROUP',
  'BRIDGE_ENABLED',
  'BRIDGE_OFFLINE_AFTER_SEC',
  'BRIDGE_OFFLINE_UNHEARD',
  'BRIDGE_SPOOL_MAX_MB',
  'BRIDGE_MAX_PENDING_EVENTS',
  'BRIDGE_MQTT_CLIENT_ID',
  'MQTT_UNS_PREFIX',
  'SPARKPLUG_HOST_ID',
  'COOKIE_SECURE',
  'TRUST_PROXY',
  'SESSION_IDLE_TIMEOUT_MIN',
  'SESSION_ABSOLUTE_TIMEOUT_HOURS',
];

/** In .env.example but deliberately not set for the compose `takt` service, and why. */
const OPTIONAL_IN_COMPOSE: Record<string, string> = {
  EMBEDDED_DB_PORT: 'only used when DATABASE_URL is unset; compose sets it',
  EMBEDDED_MQTT_PORT: 'only used when MQTT_URL is unset; compose sets it',
  BRIDGE_MQTT_CLIENT_ID: 'unset: the bridge makes a random id once and keeps it in TAKT_DATA_DIR (takt-data)',
  MQTT_USERNAME: 'compose-level: the broker user, written to its password file and put into MQTT_URL',
  MQTT_PASSWORD: 'compose-level: the broker password, written to its password file and put into MQTT_URL',
};

/** Variables an env schema may read that are the runtime's business, not user configuration. */
const NOT_USER_CONFIG = ['NODE_ENV'];

/**
 * Modules that may hold a zod env schema of the server side, relative to the root. `launcher`: the
 * schemas of `npm start` (any file under scripts/ named *env*.ts), which read the container's environment.
 * `app`: each server app's or package's env.ts, fed by the launcher (which passes its environment on
 * and adds DATABASE_URL, MQTT_URL and its own internal variables). apps/web is left out: its variables
 * are baked in at build time, not read from the container's environment.
 */
function envSchemaModules(): { module: string; role: 'launcher' | 'app' }[] {
  const modules: { module: string; role: 'launcher' | 'app' }[] = [];
  for (const file of listFiles('scripts')) {
    if (/env[^/]*\.ts$/.test(path.posix.basename(file)) && !file.includes('.test.'))
      modules.push({ module: file, role: 'launcher' });
  }
  for (const workspace of workspaceDirectories(ROOT)) {
    if (workspace === 'apps/web') continue;
    for (const candidate of ['src/env.ts', 'src/config/env.ts']) {
      const module = `${workspace}/${candidate}`;
      if (existsSync(path.join(ROOT, module))) modules.push({ module, role: 'app' });
    }
  }
  return modules;
}

/** Files under a directory of the repository, recursively, as root-relative POSIX paths. */
function listFiles(directory: string): string[] {
  const absolute = path.join(ROOT, directory);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${directory}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(relative);
    return [relative];
  });
}

/** Whether the launcher's code (not its env schema) sets `key` for the apps it starts (`KEY: value`). */
function isSetByLauncher(key: string): boolean {
  return listFiles('scripts')
    .filter((file) => file.endsWith('.ts') && !/env[^/]*\.ts$/.test(file) && !file.includes('.test.'))
    .some((file) => new RegExp(`\\b${key}\\s*:`).test(readRoot(file)));
}

type ZodObjectLike = {
  shape: Record<string, { safeParse(value: unknown): { success: boolean } }>;
  safeParse(value: unknown): { success: boolean; error?: { issues: unknown[] } };
};
type EnvSchema = { module: string; role: 'launcher' | 'app'; exportName: string; schema: ZodObjectLike };

function isZodObject(value: unknown): value is ZodObjectLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function' &&
    typeof (value as { shape?: unknown }).shape === 'object'
  );
}

/** A key is required when its schema rejects `undefined`: no `.default()`, no `.optional()`. */
function schemaRequiredKeys(schema: ZodObjectLike): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);
}

/**
 * REQUIRED_ENV_KEYS plus every key a launcher env schema requires, each with where the requirement
 * comes from. (The apps' schemas may require more, e.g. DATABASE_URL: the launcher provides those.)
 */
function requiredEnvKeys(schemas: EnvSchema[]): { key: string; requiredBy: string }[] {
  return [
    ...REQUIRED_ENV_KEYS.map((key) => ({ key, requiredBy: 'REQUIRED_ENV_KEYS' })),
    ...schemas
      .filter(({ role }) => role === 'launcher')
      .flatMap(({ module, exportName, schema }) =>
        schemaRequiredKeys(schema).map((key) => ({ key, requiredBy: `${module} ${exportName}` })),
      ),
  ];
}

function readRoot(relativePath: string): string {
  return readFileSync(path.join(ROOT, relativePath), 'utf8');
}

const composeText = readRoot('docker-compose.yml');
const compose = parseCompose(composeText);
const services = compose.services;
const takt = services.takt as ComposeService;
const taktEnv = takt === undefined ? {} : serviceEnvironment(takt);
const envExample = parseEnvExample(readRoot('.env.example'));
const dockerfile = parseDockerfile(readRoot('Dockerfile'));
const runtimeStage = dockerfile.stages.at(-1) as DockerStage;

function stageInstructions(stage: DockerStage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map(({ args }) => args);
}

function isNpmCi(run: string): boolean {
  return /\bnpm ci\b/.test(run);
}

/** The stages `stage` is built FROM (FROM <stage name>), outermost first. */
function stageAncestry(stage: DockerStage): DockerStage[] {
  const parent = dockerfile.stages.find(({ name }) => name !== undefined && name === stage.base.toLowerCase());
  return parent === undefined || parent === stage ? [] : [...stageAncestry(parent), parent];
}

/** The service a URL's host names, by compose service name. */
function serviceOfUrl(url: URL): ComposeService | undefined {
  return services[url.hostname];
}

describe('docker-compose.yml', () => {
  it('has the postgres, mosquitto and takt services', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'mosquitto', 'takt']));
  });

  it.each(Object.entries(services))('service %s has an image or a build', (_, service) => {
    expect(service.image !== undefined || service.build !== undefined).toBe(true);
  });

  it.each(Object.entries(services))('service %s has a healthcheck', (_, service) => {
    expect(healthcheckCommand(service)).not.toBe('');
  });

  it.each(Object.entries(services))('service %s depends only on existing, healthy-checked services', (_, service) => {
    for (const [name, condition] of Object.entries(serviceDependencies(service))) {
      expect(services, `depends_on ${name}`).toHaveProperty([name]);
      if (condition === 'service_healthy') expect(healthcheckCommand(services[name] ?? {})).not.toBe('');
    }
  });

  it('declares every named volume it mounts, mounts every one it declares, and bind-mounts files that exist', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Set<string>();
    for (const [name, service] of Object.entries(services)) {
      for (const mount of serviceMounts(service)) {
        expect(mount.target, `${name} mount target`).toMatch(/^\//);
        if (mount.kind === 'named') {
          expect(declared, `${name} mounts volume ${mount.source}`).toContain(mount.source);
          used.add(mount.source);
        } else {
          expect(existsSync(path.resolve(ROOT, mount.source)), `${name} bind-mounts ${mount.source}`).toBe(true);
        }
      }
    }
    expect([...used].sort()).toEqual([...declared].sort());
    expect(declared).toEqual(expect.arrayContaining(['pgdata', 'mosquitto-data', 'takt-data']));
  });

  it('restarts takt unless stopped and starts it after its database and broker are healthy', () => {
    expect(takt.build).toBeDefined();
    expect(takt.image).toBe('takt:latest');
    expect((takt as { restart?: string }).restart).toBe('unless-stopped');
    const dependencies = serviceDependencies(takt);
    const databaseService = new URL(taktEnv.DATABASE_URL ?? 'x:').hostname;
    const brokerService = new URL(taktEnv.MQTT_URL ?? 'x:').hostname;
    expect(dependencies[databaseService]).toBe('service_healthy');
    expect(dependencies[brokerService]).toBe('service_healthy');
  });
});

describe('the takt service environment', () => {
  it('sets every variable the container requires', () => {
    for (const key of REQUIRED_ENV_KEYS) expect(taktEnv[key], key).toBeTruthy();
  });

  it('points DATABASE_URL at the postgres service with its user, password and database', () => {
    const url = new URL(taktEnv.DATABASE_URL ?? '');
    expect(['postgres:', 'postgresql:']).toContain(url.protocol);
    const postgres = serviceOfUrl(url);
    expect(postgres, `a service named ${url.hostname}`).toBeDefined();
    expect(postgres?.image).toMatch(/^postgres(:|$)/);
    const postgresEnv = serviceEnvironment(postgres ?? {});
    expect(decodeURIComponent(url.username)).toBe(postgresEnv.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgresEnv.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${postgresEnv.POSTGRES_DB}`);
    expect(url.port === '' || url.port === '5432').toBe(true);
    // The healthcheck must probe the database takt uses, not the default one.
    expect(healthcheckCommand(postgres ?? {})).toMatch(
      new RegExp(`-U ${postgresEnv.POSTGRES_USER}\\b.*-d ${postgresEnv.POSTGRES_DB}\\b`),
    );
  });

  it('points MQTT_URL at the mosquitto service on the port its configuration listens on', () => {
    const url = new URL(taktEnv.MQTT_URL ?? '');
    expect(url.protocol).toBe('mqtt:');
    const broker = serviceOfUrl(url);
    expect(broker, `a service named ${url.hostname}`).toBeDefined();
    expect(broker?.image).toMatch(/^eclipse-mosquitto(:|$)/);
    const config = parseMosquittoConf(readRoot('deploy/mosquitto/mosquitto.conf'));
    const listenerPorts = (config.get('listener') ?? []).map((value) => value.split(/\s+/)[0]);
    expect(listenerPorts).toContain(url.port === '' ? '1883' : url.port);
  });

  it('listens on all interfaces, on the port that is published, the Dockerfile exposes and the healthchecks probe', () => {
    expect(taktEnv.HOST).toBe('0.0.0.0');
    const port = Number(taktEnv.PORT);
    expect(serviceContainerPorts(takt)).toContain(port);
    const exposed = stageInstructions(runtimeStage, 'EXPOSE').flatMap((args) => args.split(/\s+/));
    expect(exposed.map((value) => Number(value.split('/')[0]))).toContain(port);
    expect(healthcheckCommand(takt)).toContain(`http://127.0.0.1:${port}/api/v1/health`);
  });

  it('keeps TAKT_DATA_DIR on the takt-data volume', () => {
    const dataMount = serviceMounts(takt).find((mount) => mount.target === taktEnv.TAKT_DATA_DIR);
    expect(dataMount).toEqual({ kind: 'named', source: 'takt-data', target: taktEnv.TAKT_DATA_DIR });
  });

  it('explains every variable with a comment above it', () => {
    const lines = composeText.split('\n');
    const start = lines.findIndex((line) => /^ {2}takt:/.test(line));
    for (const key of Object.keys(taktEnv)) {
      const at = lines.findIndex((line, index) => index > start && new RegExp(`^\\s+${key}:`).test(line));
      expect(at, key).toBeGreaterThan(start);
      expect(lines[at - 1]?.trim(), `comment above ${key}`).toMatch(/^#/);
    }
    for (const key of Object.keys(OPTIONAL_IN_COMPOSE)) expect(composeText, `why ${key} is not set`).toContain(key);
  });
});

describe('the env schemas of the apps', () => {
  const schemas: EnvSchema[] = [];

  beforeAll(async () => {
    // Modules that parse the environment on import see exactly what the container gets.
    for (const [key, value] of Object.entries(taktEnv)) vi.stubEnv(key, value);
    for (const { module, role } of envSchemaModules()) {
      const exports = (await import(pathToFileURL(path.join(ROOT, module)).href)) as Record<string, unknown>;
      for (const [exportName, value] of Object.entries(exports)) {
        if (isZodObject(value)) schemas.push({ module, role, exportName, schema: value });
      }
    }
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('are found: the launcher’s and at least @takt/db’s', () => {
    expect(
      schemas.filter(({ role }) => role === 'launcher'),
      'a zod schema in scripts/**/*env*.ts',
    ).not.toEqual([]);
    expect(schemas.map(({ module }) => module)).toContain('packages/db/src/env.ts');
  });

  it('of the launcher have every variable they require set by the compose file', () => {
    for (const { key, requiredBy } of requiredEnvKeys(schemas)) {
      expect(taktEnv[key], `${key} (required by ${requiredBy})`).toBeTruthy();
    }
  });

  it('accept the compose environment', () => {
    for (const { module, exportName, schema } of schemas) {
      const own = Object.fromEntries(Object.entries(taktEnv).filter(([key]) => key in schema.shape));
      const parsed = schema.safeParse(own);
      expect(parsed.error?.issues ?? [], `${module} ${exportName}`).toEqual([]);
    }
  });

  it('read only variables that .env.example documents or the launcher sets for the apps', () => {
    const documented = envExample.map(({ name }) => name);
    for (const { module, role, exportName, schema } of schemas) {
      for (const key of Object.keys(schema.shape)) {
        if (NOT_USER_CONFIG.includes(key) || documented.includes(key)) continue;
        expect(
          role === 'app' && isSetByLauncher(key),
          `${key} of ${module} ${exportName}: document it in .env.example`,
        ).toBe(true);
      }
    }
  });
});

describe('.env.example', () => {
  const names = envExample.map(({ name }) => name);

  it('documents every variable of the contract, once, with a comment', () => {
    expect(names).toEqual(expect.arrayContaining(ENV_CONTRACT));
    expect(new Set(names).size).toBe(names.length);
    for (const entry of envExample) expect(entry.description, entry.name).not.toBe('');
  });

  it('leaves every variable commented out, so that the embedded defaults apply', () => {
    expect(envExample.filter((entry) => !entry.isCommentedOut).map(({ name }) => name)).toEqual([]);
  });

  it('lists only variables the compose takt service sets or that are optional there', () => {
    for (const name of names) {
      const isSet = name in taktEnv;
      const isOptional = name in OPTIONAL_IN_COMPOSE;
      expect(isSet || isOptional, `${name}: set it in docker-compose.yml or add it to OPTIONAL_IN_COMPOSE`).toBe(true);
      expect(isSet && isOptional, `${name} is both set and listed as optional`).toBe(false);
    }
    for (const name of Object.keys(taktEnv)) expect(names, `${name} is undocumented`).toContain(name);
  });

  it('gives the same defaults as the compose file', () => {
    const raw = rawServiceEnvironment(takt);
    for (const entry of envExample) {
      const match = /^\$\{[A-Z0-9_]+:?-(.*)\}$/.exec(raw[entry.name] ?? '');
      if (match !== null) expect(match[1], entry.name).toBe(entry.value);
    }
  });
});

describe('deploy/mosquitto/mosquitto.conf', () => {
  const mosquitto = services.mosquitto as ComposeService;
  const mounts = serviceMounts(mosquitto);
  const configMount = mounts.find((mount) => mount.target === '/mosquitto/config/mosquitto.conf');
  const configPath = path.resolve(ROOT, configMount?.source ?? 'deploy/mosquitto/mosquitto.conf');
  const config = parseMosquittoConf(existsSync(configPath) ? readFileSync(configPath, 'utf8') : '');

  it('is mounted where the image reads its configuration', () => {
    expect(configMount).toMatchObject({ kind: 'bind', source: './deploy/mosquitto/mosquitto.conf' });
  });

  it('has a listener and lets only users with a password connect', () => {
    expect(config.get('listener')?.length ?? 0).toBeGreaterThan(0);
    expect(config.get('allow_anonymous')?.at(-1)).toBe('false');
    const passwordFile = config.get('password_file')?.at(-1) ?? '';
    expect(passwordFile).not.toBe('');
    // The service writes the password file before the broker starts, in a volume it may write to.
    const command = [...[mosquitto.entrypoint ?? []].flat(), ...[mosquitto.command ?? []].flat()].join(' ');
    expect(command).toContain(`mosquitto_passwd -c -b ${passwordFile}`);
    expect(command).toMatch(/exec mosquitto -c \/mosquitto\/config\/mosquitto\.conf/);
    expect(mounts.some((mount) => mount.kind === 'named' && passwordFile.startsWith(`${mount.target}/`))).toBe(true);
  });

  it('is reached by takt with the user and password the password file is written from', () => {
    const url = new URL(taktEnv.MQTT_URL ?? '');
    const brokerEnv = serviceEnvironment(mosquitto);
    expect(decodeURIComponent(url.username)).toBe(brokerEnv.MQTT_USERNAME);
    expect(decodeURIComponent(url.password)).toBe(brokerEnv.MQTT_PASSWORD);
    expect(healthcheckCommand(mosquitto)).toContain('-u "$MQTT_USERNAME" -P "$MQTT_PASSWORD"');
  });

  it('keeps QoS 1 messages for the bridge as apps/bridge/README.md "Broker settings" asks', () => {
    const setting = (key: string) => Number(config.get(key)?.at(-1));
    // Saved every few seconds: what a crashed broker loses is what it received since the last save.
    expect(setting('autosave_interval')).toBeGreaterThan(0);
    expect(setting('autosave_interval')).toBeLessThanOrEqual(5);
    expect(config.get('autosave_on_changes')?.at(-1) ?? 'false').toBe('false');
    // A queue for outages of the bridge (default 1,000, then new messages are dropped), and a window as large as
    // what the bridge holds itself (BRIDGE_MAX_PENDING_EVENTS), not one commit every 20 messages.
    expect(setting('max_queued_messages')).toBeGreaterThanOrEqual(100_000);
    expect(setting('max_inflight_messages')).toBeGreaterThanOrEqual(Number(taktEnv.BRIDGE_MAX_PENDING_EVENTS));
  });

  it('persists to the mosquitto-data volume', () => {
    expect(config.get('persistence')?.at(-1)).toBe('true');
    const location = config.get('persistence_location')?.at(-1) ?? '';
    const dataMount = mounts.find((mount) => path.posix.relative(mount.target, location).startsWith('..') === false);
    expect(dataMount).toMatchObject({ kind: 'named', source: 'mosquitto-data' });
  });
});

describe('Dockerfile', () => {
  const stageNames = dockerfile.stages.map(({ name }) => name);

  it('has named stages deps, build and a final runtime stage', () => {
    expect(dockerfile.stages.filter(({ name }) => name !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(stageNames).toEqual(expect.arrayContaining(['deps', 'build', 'runtime']));
    expect(runtimeStage.name).toBe('runtime');
    expect(new Set(stageNames).size).toBe(stageNames.length);
  });

  it('copies only from stages defined before', () => {
    dockerfile.stages.forEach((stage, index) => {
      for (const args of stageInstructions(stage, 'COPY')) {
        const from = parseCopyInstruction(args).options.from;
        if (from !== undefined) expect(stageNames.slice(0, index), `COPY --from=${from}`).toContain(from);
      }
    });
  });

  it('copies every manifest npm ci needs, and nothing else, before each npm ci', () => {
    const manifests = [
      'package.json',
      'package-lock.json',
      ...workspaceDirectories(ROOT).map((dir) => `${dir}/package.json`),
    ];
    const installers = dockerfile.stages.filter((stage) => stageInstructions(stage, 'RUN').some(isNpmCi));
    expect(installers.length).toBeGreaterThan(0);
    for (const stage of installers) {
      // The instructions that ran before npm ci, in this stage and the stages it is built FROM.
      const chain = [...stageAncestry(stage), stage].flatMap(({ instructions }) => instructions);
      const before = chain.slice(
        0,
        chain.findIndex(({ keyword, args }) => keyword === 'RUN' && isNpmCi(args)),
      );
      const copied = before
        .filter(({ keyword }) => keyword === 'COPY')
        .flatMap(({ args }) => parseCopyInstruction(args).sources);
      for (const manifest of manifests) {
        expect(copied, `stage ${stage.name}: COPY ${manifest} before npm ci (a new workspace?)`).toContain(manifest);
      }
      // Copying sources before npm ci would reinstall every dependency on every source edit.
      expect(
        copied.filter((source) => !/(^|\/)(package(-lock)?\.json|\.npmrc)$/.test(source)),
        `stage ${stage.name}`,
      ).toEqual([]);
    }
  });

  it('builds with npm run build and runs with production dependencies only', () => {
    const build = dockerfile.stages.find(({ name }) => name === 'build');
    expect(stageInstructions(build as DockerStage, 'RUN').join('\n')).toMatch(/\bnpm run build\b/);
    const copiedFrom = stageInstructions(runtimeStage, 'COPY').map((args) => parseCopyInstruction(args).options.from);
    const prodStages = dockerfile.stages.filter((stage) =>
      stageInstructions(stage, 'RUN').some((run) => /\bnpm (ci|prune)\b.*--omit=dev/.test(run)),
    );
    expect(prodStages.some(({ name }) => copiedFrom.includes(name))).toBe(true);
  });

  it('copies the build outputs into the runtime: the generated Prisma client and the SPA', () => {
    const fromBuild = stageInstructions(runtimeStage, 'COPY')
      .map((args) => parseCopyInstruction(args))
      .filter(({ options }) => options.from === 'build')
      .flatMap(({ sources }) => sources);
    expect(fromBuild).toEqual(expect.arrayContaining(['/app/packages/db/src/generated', '/app/apps/web/dist']));
  });

  it('runs as a non-root user in production mode, listening on all interfaces', () => {
    const env = Object.assign({}, ...stageInstructions(runtimeStage, 'ENV').map(parseEnvInstruction)) as Record<
      string,
      string
    >;
    expect(env.NODE_ENV).toBe('production');
    expect(env.HOST).toBe('0.0.0.0');
    const user = stageInstructions(runtimeStage, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
  });

  it('checks its health with node against /api/v1/health', () => {
    const healthcheck = stageInstructions(runtimeStage, 'HEALTHCHECK').at(-1) ?? '';
    const command = parseExecForm(healthcheck.slice(healthcheck.indexOf('CMD') + 3)) ?? [];
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/api/v1/health');
    expect(command.join(' ')).toContain('http://127.0.0.1:');
  });

  it('starts the product the way npm start does, without the build', () => {
    const cmd = parseExecForm(stageInstructions(runtimeStage, 'CMD').at(-1) ?? '');
    expect(cmd).toEqual(['node', '--import', 'tsx', 'scripts/start.ts']);
    const scripts = (JSON.parse(readRoot('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start?.split('&&').map((part) => part.trim())).toEqual(['npm run build', cmd?.join(' ')]);
  });
});

describe('.dockerignore', () => {
  const isIgnored = dockerignoreMatcher(readRoot('.dockerignore'));

  it('keeps dependencies, local state, secrets and git out of the build context', () => {
    for (const ignored of [
      'node_modules/zod/package.json',
      'apps/web/node_modules/@vitejs/x.js',
      'data/pg/PG_VERSION',
      '.git/HEAD',
      '.env',
      'apps/web/dist/index.html',
      'packages/db/src/generated/prisma/client.ts',
      'test-results/report.json',
      'bench/results/run.json',
    ]) {
      expect(isIgnored(ignored), ignored).toBe(true);
    }
  });

  it('keeps everything the image is built from', () => {
    const copiedFromContext = dockerfile.stages
      .flatMap((stage) => stageInstructions(stage, 'COPY'))
      .map((args) => parseCopyInstruction(args))
      .filter(({ options }) => options.from === undefined)
      .flatMap(({ sources }) => sources)
      .filter((source) => source !== '.');
    for (const kept of [
      ...copiedFromContext,
      '.env.example',
      'scripts/start.ts',
      'prisma/schema.prisma',
      'prisma/migrations/migration_lock.toml',
      'packages/db/src/index.ts',
      'apps/api/src/main.ts',
      'apps/web/index.html',
      'tsconfig.base.json',
    ]) {
      expect(isIgnored(kept), kept).toBe(false);
    }
  });
});
