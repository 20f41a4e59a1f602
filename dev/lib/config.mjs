// Ports, secrets and the environment each local process gets. One place, so `npm start` and `npm test`
// wire the stack the same way.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';

export const root = path.resolve(import.meta.dirname, '../..');

export const PORT_VARIABLES = {
  gateway: ['GATEWAY_PORT', 54321],
  db: ['DB_PORT', 54322],
  sandbox: ['FATHOM_SANDBOX_PORT', 54329],
  web: ['WEB_PORT', 5173],
};

/**
 * The host every local server binds and every local URL names. One name, not `localhost` in some places and
 * `127.0.0.1` in others: they are different origins to a browser, so a session made on one is missing on the other.
 * The address rather than the name because `localhost` may resolve to ::1 first (Node's fetch, some browsers), where
 * nothing listens.
 */
export const LOCAL_HOST = '127.0.0.1';

/** The app's one origin, `http://127.0.0.1:<web port>`: Vite's host, the banner, APP_ORIGIN's first entry, Auth's site_url. */
export function webOrigin(ports) {
  return `http://${LOCAL_HOST}:${ports.web}`;
}

/**
 * APP_ORIGIN for the local stack: the app's origin first (the default landing of an OAuth callback); the `localhost`
 * spelling after it only so that a page opened there still reaches the API instead of failing on CORS.
 */
export function localAppOrigins(ports) {
  return [webOrigin(ports), `http://localhost:${ports.web}`];
}

export function portsFromEnv(env = process.env) {
  return Object.fromEntries(
    Object.entries(PORT_VARIABLES).map(([name, [variable, fallback]]) => [name, Number(env[variable] ?? fallback)]),
  );
}

export const FATHOM_VARIABLES = ['FATHOM_CLIENT_ID', 'FATHOM_CLIENT_SECRET', 'FATHOM_AUTHORIZE_URL', 'FATHOM_TOKEN_URL', 'FATHOM_API_BASE_URL'];

/**
 * Providers (besides Fathom) served by the sandbox family (dev/sandbox/README.md): where each lives under the sandbox;
 * a provider whose <P>_CLIENT_ID and <P>_CLIENT_SECRET are both set in the shell uses the real service (and any
 * provider without a sandbox is configured from the shell alone: the functions see the whole environment).
 * A row is all the stack needs (besides the sandbox module in dev/sandbox/main.ts): `name` for the banner, `secrets`
 * names the generated client id and secret (generateSecrets), `sandbox` the endpoints under the sandbox's base;
 * the functions' and the sandbox's <P>_CLIENT_ID/_SECRET and the sandbox's <P>_SANDBOX_STATE_FILE follow from it.
 */
export const SANDBOXED_PROVIDERS = {
  SLACK: {
    name: 'Slack',
    secrets: ['slackClientId', 'slackClientSecret'],
    // webhooks: the sandbox's hooks.slack.com/services/ (dev/slack-sandbox/hooks.ts)
    sandbox: (base) => ({ authorize: `${base}/slack/oauth/v2/authorize`, token: `${base}/slack/api/oauth.v2.access`, api: `${base}/slack/api`, webhooks: `${base}/slack/hooks/services/` }),
  },
  DISCORD: {
    name: 'Discord',
    secrets: ['discordClientId', 'discordClientSecret'],
    sandbox: (base) => ({ authorize: `${base}/discord/oauth2/authorize`, token: `${base}/discord/api/oauth2/token`, api: `${base}/discord/api/v10` }),
  },
  // revocation at <token URL's folder>/revoke (the entry derives it); events signed with ZOOM_WEBHOOK_SECRET_TOKEN
  // (its own secret, generateSecrets) and sent to the stack's zoom-webhook (sandboxEnv)
  ZOOM: {
    name: 'Zoom',
    secrets: ['zoomClientId', 'zoomClientSecret'],
    sandbox: (base) => ({ authorize: `${base}/zoom/oauth/authorize`, token: `${base}/zoom/oauth/token`, api: `${base}/zoom/v2` }),
  },
  TYPEFORM: {
    name: 'Typeform',
    secrets: ['typeformClientId', 'typeformClientSecret'],
    sandbox: (base) => ({ authorize: `${base}/typeform/oauth/authorize`, token: `${base}/typeform/oauth/token`, api: `${base}/typeform` }),
  },
};

export function usesRealProvider(prefix, env = process.env) {
  return Boolean(env[`${prefix}_CLIENT_ID`] && env[`${prefix}_CLIENT_SECRET`]);
}

/**
 * <P>_CLIENT_ID/_SECRET/_AUTHORIZE_URL/_TOKEN_URL/_API_BASE_URL (and _WEBHOOK_BASE_URL where the sandbox's webhooks do
 * not derive from its API base: Slack) for the functions: the sandbox's unless set.
 */
function sandboxedProviderEnv(sandbox, secrets, env) {
  const out = {};
  for (const [prefix, provider] of Object.entries(SANDBOXED_PROVIDERS)) {
    const real = usesRealProvider(prefix, env);
    const urls = provider.sandbox(sandbox);
    out[`${prefix}_CLIENT_ID`] = real ? env[`${prefix}_CLIENT_ID`] : secrets[provider.secrets[0]];
    out[`${prefix}_CLIENT_SECRET`] = real ? env[`${prefix}_CLIENT_SECRET`] : secrets[provider.secrets[1]];
    out[`${prefix}_AUTHORIZE_URL`] = env[`${prefix}_AUTHORIZE_URL`] ?? (real ? undefined : urls.authorize);
    out[`${prefix}_TOKEN_URL`] = env[`${prefix}_TOKEN_URL`] ?? (real ? undefined : urls.token);
    out[`${prefix}_API_BASE_URL`] = env[`${prefix}_API_BASE_URL`] ?? (real ? undefined : urls.api);
    if (urls.webhooks) out[`${prefix}_WEBHOOK_BASE_URL`] = env[`${prefix}_WEBHOOK_BASE_URL`] ?? (real ? undefined : urls.webhooks);
  }
  return out;
}

/** True when the developer pointed the app at a real Fathom app: then the sandbox is not needed. */
export function usesRealFathom(env = process.env) {
  return Boolean(env.FATHOM_CLIENT_ID && env.FATHOM_CLIENT_SECRET);
}

/** The sandbox family is started unless Fathom, Slack and Discord all point at real apps. */
export function needsSandbox(env = process.env) {
  return !(usesRealFathom(env) && Object.keys(SANDBOXED_PROVIDERS).every((prefix) => usesRealProvider(prefix, env)));
}

export function generateSecrets() {
  const sandboxed = {};
  for (const [prefix, { secrets: [id, secret] }] of Object.entries(SANDBOXED_PROVIDERS)) {
    sandboxed[id] = `sandbox-${prefix.toLowerCase()}-${randomBytes(6).toString('hex')}`;
    sandboxed[secret] = randomBytes(24).toString('base64url');
  }
  return {
    jwtSecret: randomBytes(32).toString('base64url'),
    tokenEncryptionKey: `v1:${randomBytes(32).toString('base64')}`,
    fathomClientId: `sandbox-${randomBytes(6).toString('hex')}`,
    fathomClientSecret: randomBytes(24).toString('base64url'),
    fathomSyncSecret: randomBytes(24).toString('base64url'),
    automationRunnerSecret: randomBytes(24).toString('base64url'),
    ...sandboxed,
    // the Zoom app's event subscription secret token (one per app)
    zoomWebhookSecretToken: randomBytes(24).toString('base64url'),
  };
}

/** Dev secrets live in the git-ignored data folder so tokens stored by one start decrypt on the next. */
// A data folder from an older version lacks newer secrets: they are added, the existing ones kept.
export async function loadOrCreateSecrets(dataDir) {
  const file = path.join(dataDir, 'dev-secrets.json');
  let stored = null;
  try {
    stored = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // first start (or an unreadable file): new secrets
  }
  const secrets = { ...generateSecrets(), ...stored };
  if (!stored || Object.keys(secrets).length !== Object.keys(stored).length) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

// Like the Supabase CLI's demo keys, the keys are a pure function of the JWT secret (fixed iat/exp): the
// gateway compares API keys by value, so every process that derives them must get the very same strings.
const API_KEY_ISSUED_AT = 1_764_028_800; // 2025-11-25
const API_KEY_EXPIRES_AT = 4_102_444_800; // 2100-01-01

export async function makeApiKeys(jwtSecret) {
  const key = new TextEncoder().encode(jwtSecret);
  const sign = (role) =>
    new SignJWT({ role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('supabase-demo')
      .setIssuedAt(API_KEY_ISSUED_AT)
      .setExpirationTime(API_KEY_EXPIRES_AT)
      .sign(key);
  return { anonKey: await sign('anon'), serviceRoleKey: await sign('service_role') };
}

/** The environment of the gateway process, i.e. what Supabase (and `supabase secrets set`) give the functions. */
export function functionEnv({ ports, dbUrl, secrets, keys, appOrigin, env = process.env }) {
  const sandbox = `http://127.0.0.1:${ports.sandbox}`;
  const real = usesRealFathom(env);
  return {
    SUPABASE_URL: `http://127.0.0.1:${ports.gateway}`,
    SUPABASE_DB_URL: dbUrl,
    SUPABASE_JWT_SECRET: secrets.jwtSecret,
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
    APP_ORIGIN: env.APP_ORIGIN ?? appOrigin,
    TOKEN_ENCRYPTION_KEY: env.TOKEN_ENCRYPTION_KEY ?? secrets.tokenEncryptionKey,
    GATEWAY_PORT: String(ports.gateway),
    FATHOM_CLIENT_ID: real ? env.FATHOM_CLIENT_ID : secrets.fathomClientId,
    FATHOM_CLIENT_SECRET: real ? env.FATHOM_CLIENT_SECRET : secrets.fathomClientSecret,
    FATHOM_AUTHORIZE_URL: env.FATHOM_AUTHORIZE_URL ?? (real ? undefined : `${sandbox}/external/v1/oauth2/authorize`),
    FATHOM_TOKEN_URL: env.FATHOM_TOKEN_URL ?? (real ? undefined : `${sandbox}/external/v1/oauth2/token`),
    FATHOM_API_BASE_URL: env.FATHOM_API_BASE_URL ?? (real ? undefined : `${sandbox}/external/v1`),
    FATHOM_SYNC_SECRET: env.FATHOM_SYNC_SECRET ?? secrets.fathomSyncSecret,
    AUTOMATION_RUNNER_SECRET: env.AUTOMATION_RUNNER_SECRET ?? secrets.automationRunnerSecret,
    // send_webhook endpoints may be http on a loopback host locally (the API refuses them in production)
    AUTOMATION_ALLOW_HTTP_WEBHOOKS: env.AUTOMATION_ALLOW_HTTP_WEBHOOKS ?? '1',
    ...sandboxedProviderEnv(sandbox, secrets, env),
    // the Zoom app's event subscription secret (one per app, Marketplace -> Event Subscriptions)
    ZOOM_WEBHOOK_SECRET_TOKEN: env.ZOOM_WEBHOOK_SECRET_TOKEN ?? secrets.zoomWebhookSecretToken,
  };
}

/** How often the local stack calls automation-runner (AUTOMATION_RUNNER_INTERVAL_MS, default 1 s); 0 turns it off. */
export function automationIntervalMs(env = process.env) {
  const ms = Number(env.AUTOMATION_RUNNER_INTERVAL_MS ?? 1000);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** How often the local stack calls fathom-sync, as pg_cron does every minute in production; 0 turns it off. */
export function syncIntervalMs(env = process.env) {
  const seconds = Number(env.FATHOM_SYNC_INTERVAL_SECONDS ?? 60);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

export function sandboxEnv({ ports, secrets, dataDir, extra = {} }) {
  return {
    FATHOM_SANDBOX_PORT: String(ports.sandbox),
    FATHOM_CLIENT_ID: secrets.fathomClientId,
    FATHOM_CLIENT_SECRET: secrets.fathomClientSecret,
    // With a data folder (npm start) Fathom tokens and webhooks survive restarts, like the database; else in memory
    // ('' also overrides a value inherited from the shell).
    FATHOM_SANDBOX_STATE_FILE: dataDir ? path.join(dataDir, 'fathom-sandbox.json') : '',
    ...Object.fromEntries(
      Object.entries(SANDBOXED_PROVIDERS).flatMap(([prefix, { secrets: [id, secret] }]) => [
        [`${prefix}_CLIENT_ID`, secrets[id]],
        [`${prefix}_CLIENT_SECRET`, secrets[secret]],
        [`${prefix}_SANDBOX_STATE_FILE`, dataDir ? path.join(dataDir, `${prefix.toLowerCase()}-sandbox.json`) : ''],
      ]),
    ),
    // Zoom sends every event of the app to one URL: the stack's zoom-webhook function, signed with the app's token
    ZOOM_SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${ports.gateway}/functions/v1/zoom-webhook`,
    ZOOM_WEBHOOK_SECRET_TOKEN: process.env.ZOOM_WEBHOOK_SECRET_TOKEN ?? secrets.zoomWebhookSecretToken,
    ...extra,
  };
}

export const denoBin = path.join(root, 'node_modules/.bin/deno');
// Root deno.json: a workspace over supabase/functions (its import map) using the root node_modules.
export const denoFlags = [];

export const DEMO_ACCOUNTS = [
  ['demo-admin@example.com', 'owner of Demo Team'],
  ['demo-member@example.com', 'member of Demo Team'],
  ['demo-outsider@example.com', 'in no team'],
];
export const DEMO_PASSWORD = 'demo-password';
