'use strict';
// Copies what tsc does not emit into dist/ (run after `tsc -p tsconfig.json` by `npm run build`):
//   node-red/**/locales/**/*.json, node-red/**/icons/**  → dist/node-red/...
//   the Node-RED editor files (<type>.html, locales/en-US/<type>.html) are rendered from the
//   operation registries by the compiled node-red/editor/render-editor-files.js, not copied
//   icons/**                      → dist/icons/, and into every n8n node folder and dist/credentials/
//                                   (n8n resolves `icon: 'file:x.svg'` relative to the node's .js)
//   nodes/**/*.{svg,png,json}     → dist/nodes/... (codex .node.json files and node-specific icons)
//   credentials/**/*.{svg,png}    → dist/credentials/...
// Every source folder may be empty or missing.
const fs = require('fs');
const path = require('path');
const { src, dest, parallel } = require('gulp');

const ROOT = __dirname;
const DIST = path.join(ROOT, 'dist');
// gulp 5 reads files as utf8 by default, which corrupts PNGs: always copy bytes.
const opts = (base) => ({ base, cwd: ROOT, allowEmpty: true, encoding: false, dot: false });

function copy(globs, base, to) {
  const fn = () => src(globs, opts(base)).pipe(dest(to));
  return fn;
}

const nodeRedAssets = copy(
  ['node-red/**/locales/**/*.json', 'node-red/**/icons/**/*'],
  'node-red',
  path.join(DIST, 'node-red'),
);
nodeRedAssets.displayName = 'node-red-assets';

// Reads the registries as tsc compiled them, so it must run after tsc (npm run build does).
function nodeRedEditorFiles(done) {
  const generator = path.join(DIST, 'node-red', 'editor', 'render-editor-files.js');
  if (!fs.existsSync(generator)) return done(new Error(`${generator} is missing: run tsc -p tsconfig.json first`));
  const { writeEditorFiles } = require(generator);
  writeEditorFiles(path.join(DIST, 'node-red'), { templateDir: path.join(ROOT, 'node-red', 'editor', 'templates') });
  return done();
}
nodeRedEditorFiles.displayName = 'node-red-editor-files';

const sharedIcons = copy(['icons/**/*'], 'icons', path.join(DIST, 'icons'));
sharedIcons.displayName = 'icons';

const nodeAssets = copy(['nodes/**/*.{svg,png,json}'], 'nodes', path.join(DIST, 'nodes'));
nodeAssets.displayName = 'node-assets';

const credentialAssets = copy(['credentials/**/*.{svg,png}'], 'credentials', path.join(DIST, 'credentials'));
credentialAssets.displayName = 'credential-assets';

/** Folders (relative to nodes/) that hold an n8n node: a *.node.ts / *.node.js file. */
function n8nNodeDirs(dir = path.join(ROOT, 'nodes'), rel = '') {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && /\.node\.(ts|js)$/.test(e.name))) out.push(rel);
  for (const e of entries) {
    if (e.isDirectory()) out.push(...n8nNodeDirs(path.join(dir, e.name), path.join(rel, e.name)));
  }
  return out;
}

function iconsIntoNodeFolders(done) {
  const iconDir = path.join(ROOT, 'icons');
  if (!fs.existsSync(iconDir)) return done();
  const targets = n8nNodeDirs().map((rel) => path.join(DIST, 'nodes', rel));
  if (fs.existsSync(path.join(ROOT, 'credentials'))) targets.push(path.join(DIST, 'credentials'));
  if (targets.length === 0) return done();
  const streams = targets.map(
    (to) =>
      new Promise((resolve, reject) => {
        src(['icons/**/*'], opts('icons')).pipe(dest(to)).on('finish', resolve).on('error', reject);
      }),
  );
  return Promise.all(streams);
}
iconsIntoNodeFolders.displayName = 'icons-into-node-folders';

exports.default = parallel(nodeRedAssets, nodeRedEditorFiles, sharedIcons, nodeAssets, credentialAssets, iconsIntoNodeFolders);
exports.n8nNodeDirs = n8nNodeDirs;
