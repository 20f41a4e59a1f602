// Import rules `npm test` checks (dev/run-tests.mjs, suite "check"): no cycles, and the three wings of
// docs/architecture.md never import each other statically. supabase/functions/tests load the Fathom sandbox with a
// dynamic import of a computed URL (a test fixture, not a dependency), which no rule sees on purpose.
// Deno's bare and npm: specifiers (resolved by supabase/functions/deno.json) are left unresolved: they are packages.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle of imports: one module of it should not know the other (see the arrows in docs/architecture.md).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'app-wing-alone',
      severity: 'error',
      comment: 'src/ (the React app) talks to the back end over HTTP only; it never imports supabase/ or dev/.',
      from: { path: '^(src|public)/' },
      to: { path: '^(supabase|dev|bench|e2e)/' },
    },
    {
      name: 'backend-wing-alone',
      severity: 'error',
      comment: 'supabase/ (what runs in production) never imports the app, the local stack or the benches.',
      from: { path: '^supabase/' },
      to: { path: '^(src|public|dev|bench|e2e)/' },
    },
    {
      name: 'dev-wing-alone',
      severity: 'error',
      comment: 'dev/ (the local stack) loads functions by file URL at run time; it never imports supabase/ or src/, ' +
        'except the one guard every postgres.js transaction of the stack needs (the Auth emulator shares it, so a ' +
        'lost connection cannot crash the gateway that serves the functions), and the log redaction of ' +
        '_shared/http.ts (the gateway logs a failing function as the functions do: no route ids, no quoted values).',
      from: { path: '^dev/' },
      to: {
        path: '^(src|public|supabase|bench|e2e)/',
        pathNot: '^supabase/functions/_shared/(pg-transaction|http)\\.ts$',
      },
    },
    {
      name: 'shared-knows-no-function',
      severity: 'error',
      comment: 'supabase/functions/_shared is shared code: it never imports a function or the tests.',
      from: { path: '^supabase/functions/_shared/' },
      to: { path: '^supabase/functions/', pathNot: '^supabase/functions/_shared/' },
    },
    {
      name: 'provider-registry-is-data',
      severity: 'error',
      comment: 'The provider registry and its entries are data: they import types, configuration and each other ' +
        'only. Lifecycle hooks (webhooks, imports, API clients) are passed to the engine by the handlers ' +
        '(_shared/lifecycle.ts), so the registry and the token refresh that reads it never reach them.',
      from: { path: '^supabase/functions/_shared/oauth/(registry\\.ts|providers/)' },
      to: {
        path: '^supabase/',
        pathNot: '^supabase/functions/_shared/(env\\.ts|oauth/types\\.ts|oauth/providers/)',
      },
    },
    {
      name: 'oauth-knows-no-lifecycle',
      severity: 'error',
      comment: 'oauth/ (engine, refresh, registry) gets provider hooks passed in: it never imports a provider\'s own ' +
        'code (any _shared/<folder>/ but oauth/ itself: fathom/, discord/, chat/, and whatever a new provider adds), ' +
        'the hook table (_shared/lifecycle.ts) or the handlers that pass them (_shared/oauth-handlers.ts).',
      from: { path: '^supabase/functions/_shared/oauth/' },
      to: {
        path: '^supabase/functions/_shared/(lifecycle\\.ts|oauth-handlers\\.ts|[^/]+/)',
        pathNot: '^supabase/functions/_shared/oauth/',
      },
    },
    {
      name: 'functions-do-not-import-each-other',
      severity: 'error',
      comment: 'A function imports its own folder and _shared only (tests may import any handler).',
      from: { path: '^supabase/functions/([^/_][^/]*)/', pathNot: '^supabase/functions/tests/' },
      to: { path: '^supabase/functions/', pathNot: ['^supabase/functions/$1/', '^supabase/functions/_shared/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|\\.test-data|test-results|scratch)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] },
  },
};
