// Copies the front-end libraries the pages use from node_modules/ (installed by
// `npm ci` from package-lock.json) into search_api/static/vendor/, with their
// licences and a manifest of versions and SHA-256 digests. Run by `make vendor`.
// Nothing is fetched at run time: the server sends these files itself.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const target = join(root, "search_api", "static", "vendor");

// package -> [file in the package, name in vendor/]
const FILES = {
  "@zazuko/yasgui": [
    ["build/yasgui.min.js", "yasgui.min.js"],
    ["build/yasgui.min.css", "yasgui.min.css"],
  ],
  cytoscape: [
    ["dist/cytoscape.min.js", "cytoscape.min.js"],
    ["LICENSE", "cytoscape.LICENSE.txt"],
  ],
};

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
const manifest = {};
for (const [name, files] of Object.entries(FILES)) {
  const pkgDir = join(root, "node_modules", name);
  const { version, license } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  manifest[name] = { version, license, files: {} };
  for (const [from, to] of files) {
    let body = readFileSync(join(pkgDir, from));
    if (to.endsWith(".js") || to.endsWith(".css")) {
      // source maps are not shipped: drop the comment that would ask for one
      body = Buffer.from(body.toString("utf8").replace(/\n?\/[/*]# sourceMappingURL=\S+( \*\/)?\s*$/, "\n"));
    }
    writeFileSync(join(target, to), body);
    manifest[name].files[to] = createHash("sha256").update(body).digest("hex");
  }
}
writeFileSync(join(target, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`vendor: ${Object.keys(FILES).length} packages into ${target}`);
