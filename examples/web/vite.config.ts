import { defineConfig } from "vite";

// A static bundle with relative asset paths: any static server (or the browser test's) can
// serve dist/ from any path, and it talks to the Parley URL given in ?api=.
export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
});
