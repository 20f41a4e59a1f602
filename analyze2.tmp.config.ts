import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { fileURLToPath, URL } from "node:url";
export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: { rolldownOptions: { output: { codeSplitting: { groups: [
    { name: (id: string) => { const m = id.match(/node_modules\/((@[^/]+\/)?[^/]+)/); return m ? "pkg-" + m[1].replace("/", "_") : null; }, test: /node_modules/ },
  ] } } } },
});
