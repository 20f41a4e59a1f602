import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { fileURLToPath, URL } from "node:url";

// Unit tests of the React app only; supabase/ and dev/ have their own runners.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    pool: "threads",
    maxWorkers: 2,
    // A page test renders the whole page: on a 2-core machine busy with the Deno suite or other work, 5 s (the
    // default) was seen to expire in LeadsPage / LeadDetailPage tests that pass alone. Not a speed budget (bench/).
    testTimeout: 20_000,
  },
});
