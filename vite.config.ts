import { defineConfig, runnerImport, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { fileURLToPath, URL } from "node:url";

const alias = { "@": fileURLToPath(new URL("./src", import.meta.url)) };

/**
 * The prerendered app shell (src/shell/, docs/decisions.md "Prerendered shell"): at build time, the Integrations
 * frame rendered by react-dom/server from the same catalog and components goes into index.html with the inline
 * script that shows it when it fits, so that a signed-in visit's first paint needs no JavaScript. Build only: the dev
 * server serves index.html as it is.
 */
function prerenderedShell(): Plugin {
  return {
    name: "prerendered-shell",
    apply: "build",
    async transformIndexHtml(html) {
      // the module's shape written out, not `typeof import(...)`: this file is also type-checked by Deno
      // (dev/lib/origin_test.ts), which has no DOM types for the shell's browser code
      const { module } = await runnerImport<{ injectShell(html: string): string }>(
        fileURLToPath(new URL("./src/shell/prerender.tsx", import.meta.url)),
        { configFile: false, resolve: { alias }, logLevel: "error" },
      );
      return module.injectShell(html);
    },
  };
}

// The front end only. VITE_SUPABASE_URL / VITE_SUPABASE_ANON_KEY come from the environment (the start script
// passes them); src/lib/supabase.ts has local defaults.
export default defineConfig({
  plugins: [react(), tailwindcss(), prerenderedShell()],
  resolve: { alias },
  build: {
    // No modulepreload polyfill (~0.3 kB gzip in every entry): browsers without <link rel="modulepreload"> (Safari
    // before 17, Firefox before 115) ignore the tags and fetch each chunk when its importer asks, one step later;
    // nothing breaks (docs/decisions.md "Front end weight").
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Two vendor groups that every page needs (React + router, the Supabase client), kept apart from the app's
        // own code so that they stay cached across deploys. Everything else is split by route (App.tsx loads each
        // page lazily): a catch-all vendor group would put the markdown pipeline, zod and Radix into the entry
        // chunk of every page. Measured by `npm run bench -- frontend` (docs/performance.md).
        codeSplitting: {
          groups: [
            { name: "supabase", test: /node_modules[\\/]@supabase[\\/]/ },
            { name: "react", test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  // One origin for the app, http://127.0.0.1:5173 (dev/lib/config.mjs LOCAL_HOST: the banner, APP_ORIGIN's first
  // entry and Auth's site_url say the same): `localhost` is another origin to a browser, with its own session.
  server: {
    host: "127.0.0.1",
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
  },
  preview: {
    host: "127.0.0.1",
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
  },
});
