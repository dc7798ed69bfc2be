// Writes dist/aka.cjs, the bundle bin/run.js loads: every command, hook and dependency bundled by
// esbuild, minified, and dist/oclif.manifest.json, the manifest of that bundle; and dist/boot.cjs, what
// bin/run.js requires first (the version line and the code cache's loader). Run after tsc and
// scripts/manifest.js (`npm run build`); it bundles tsc's output in dist/.
//
// - Commands are found as oclif finds them (the commands folder, and each plugin's manifest), so a new
//   command needs no change here. The bundle exports them for oclif's explicit command discovery,
//   each behind a getter: a command's modules are evaluated only when that command runs.
// - The plugins are folded in: their commands and hooks become the bundle's own, and the bundle's
//   manifest lists them beside aka's, so oclif reads one package.json and one manifest at start-up.
// - Kept out, loaded from node_modules or dist/ when needed: the local platform (tsc's ESM output in
//   dist/platform, only ever imported lazily), better-sqlite3 (native), @inquirer/prompts (prompts
//   only) and typescript (oclif asks for it in development only).
import {Plugin} from '@oclif/core/config'
import {build} from 'esbuild'
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
const platformDir = join(dist, 'platform')
const BUNDLE = 'aka.cjs'
const EXTERNAL = ['better-sqlite3', '@inquirer/prompts', 'typescript']

const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

async function loadPlugin(options) {
  const plugin = new Plugin({type: 'core', errorOnManifestCreate: true, ...options})
  await plugin.load()
  return plugin
}

// The root plugin as oclif sees it without a manifest (each command's file path included), then its plugins.
const plugins = [await loadPlugin({root, ignoreManifest: true})]
for (const name of pjson.oclif.plugins ?? []) plugins.push(await loadPlugin({root: join(root, 'node_modules', name)}))

/** A module path as the bundle entry requires it: relative to dist/, with forward slashes. */
const fromDist = file => {
  const path = relative(dist, file).split(sep).join('/')
  return path.startsWith('.') ? path : `./${path}`
}

/** A hook's file, resolved as oclif does for a target given without its extension. */
function moduleFile(base) {
  const file = [base, `${base}.js`, `${base}.cjs`, `${base}.mjs`].find(candidate => existsSync(candidate) && statSync(candidate).isFile())
  if (!file) throw new Error(`bundle: no module at ${relative(root, base)}`)
  return file
}

const commands = {}
const getters = []
for (const plugin of plugins) {
  for (const [id, command] of Object.entries(plugin.manifest.commands)) {
    if (commands[id]) continue
    if (!command.relativePath) throw new Error(`bundle: the manifest of ${plugin.name} gives no file for ${id}`)
    const file = join(plugin.root, ...command.relativePath)
    const cached = {...command}
    delete cached.relativePath
    delete cached.isESM
    commands[id] = cached
    getters.push(`  get ${JSON.stringify(id)}() { return require(${JSON.stringify(fromDist(file))}).default },`)
  }
}

const hooks = {}
const hookExports = []
for (const plugin of plugins) {
  for (const [event, targets] of Object.entries(plugin.hooks)) {
    for (const {target, identifier} of targets) {
      const name = `HOOK_${hookExports.length}`
      const file = moduleFile(resolve(plugin.root, target))
      hookExports.push(`export function ${name}(...args) { return require(${JSON.stringify(fromDist(file))})[${JSON.stringify(identifier)}].apply(this, args) }`)
      ;(hooks[event] ??= []).push({target: `./${BUNDLE}`, identifier: name})
    }
  }
}

const oclif = {commands: {strategy: 'explicit', target: `./${BUNDLE}`, identifier: 'COMMANDS'}, plugins: [], hooks}
const entry = `
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {execute} from '@oclif/core/execute'

export const COMMANDS = {
${getters.join('\n')}
}

${hookExports.join('\n')}

/** Runs aka from the bundle: the package's own package.json, with the bundle in place of its commands, plugins and hooks. */
export function run(packageRoot) {
  const pjson = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'))
  pjson.oclif = {...pjson.oclif, ...${JSON.stringify(oclif)}}
  return execute({loadOptions: {root: join(packageRoot, 'dist'), pjson}})
}
`

// Every import() the bundle keeps (the platform, which stays tsc's ESM output with its path relative to
// dist/, Node's built-in modules, the external packages) is recorded: bin/run.js compiles the bundle
// as a vm.Script, where import() works only with --experimental-vm-modules, so these calls go to the
// IMPORT function the bundle is given (see src/compile-cache.ts) instead.
const IMPORT = '__akaImport'
const dynamicImports = new Set()
const externalImports = {
  name: 'external-imports',
  setup(esbuild) {
    esbuild.onResolve({filter: /^\./}, args => {
      const file = resolve(args.resolveDir, args.path)
      if (!file.startsWith(platformDir + sep)) return undefined
      if (args.kind !== 'dynamic-import') {
        return {errors: [{text: `${relative(root, args.importer)} imports the local platform statically; import it with await import() so that it stays out of the CLI's start-up`}]}
      }
      dynamicImports.add(fromDist(file))
      return {path: fromDist(file), external: true}
    })
    esbuild.onResolve({filter: /^[^./]/}, args => {
      if (args.kind !== 'dynamic-import') return undefined
      const builtIn = args.path.startsWith('node:')
      if (!builtIn && !EXTERNAL.some(name => args.path === name || args.path.startsWith(`${name}/`))) return undefined
      dynamicImports.add(args.path)
      return {path: args.path, external: true}
    })
  },
}

// Changes to the bundle's copies of oclif and axios, each a fixed piece of text that must be found once (a
// version that no longer has it fails the build, so a change is never silent):
// - oclif sorts each plugin's commands with localeCompare, whose first call builds an ICU collator: about
//   8 ms of every start. The bundle's manifest lists the commands already sorted (below, with English
//   collation), so the copy keeps the manifest's order instead of sorting again. That order no longer
//   follows the user's locale; nothing aka prints depends on it (help sorts by itself), only the order of
//   lines in a generated completion script could, under a locale that reorders ASCII letters.
// - help renders every text through ejs, which compiles each into a new function (never in the code
//   cache). A text with neither `<%` nor `%>` has no tag, and ejs renders it as itself: it is used as is.
// - axios probes the fetch API when it loads (its fetch adapter's default export), reading Request,
//   Response and ReadableStream: on Node 22 and 24 those globals load undici when read (about 25 ms).
//   axios itself never uses that export (it asks getFetch() when the fetch adapter is chosen, and in
//   Node it chooses http), so the copy does not compute it. Its utils read the FormData global once, to
//   know a FormData by `instanceof`: the copy leaves that out, as it always was on Node 20 (the globals
//   are hidden while axios loads, src/api/hide-fetch.ts), and knows one by its tag, as isFormData also does.
const PATCHES = [
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: ';',
  },
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]help[\\/]util\.js$/,
    from: 'return ejs_1.default.render(t, context);',
    to: "return typeof t === 'string' && !t.includes('<%') && !t.includes('%>') ? t : ejs_1.default.render(t, context);",
  },
  {
    file: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]adapters[\\/]fetch\.js$/,
    from: 'const adapter = getFetch();',
    to: 'const adapter = undefined;',
  },
  {
    file: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]utils\.js$/,
    from: "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
    to: 'const FormDataCtor = undefined;',
  },
]
const patches = {
  name: 'patches',
  setup(esbuild) {
    for (const {file, from, to} of PATCHES) {
      esbuild.onLoad({filter: file}, args => {
        const source = readFileSync(args.path, 'utf8')
        if (source.split(from).length !== 2) {
          return {errors: [{text: `${relative(root, args.path)} no longer has \`${from}\` once: check scripts/bundle.js`}]}
        }
        return {contents: source.replace(from, to), loader: 'js'}
      })
    }
  },
}

// Modules a dependency requires at its top but uses only on paths a command may never take, each behind a
// stand-in that loads it on the first read of any of its properties (or, for a class, the first `new`):
// axios's HTTP/2 support (aka never asks for HTTP/2: about 4 ms of every command that talks to an API),
// https and tls for axios and its helpers (the local platform and the benchmark speak http), and
// axios's FormData class with mime-db and the crypto it makes multipart boundaries with (aka sends JSON). The dependencies only read properties of these
// modules, or construct the class, when a request needs them, so they behave the same.
const LAZY = [
  {name: 'http2', builtIn: true, importers: /[\\/]node_modules[\\/]axios[\\/]/},
  {name: 'https', builtIn: true, importers: /[\\/]node_modules[\\/](axios|follow-redirects|form-data)[\\/]/},
  {name: 'tls', builtIn: true, importers: /[\\/]node_modules[\\/]https-proxy-agent[\\/]/},
  {name: 'crypto', builtIn: true, importers: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]platform[\\/]node[\\/]/},
  {name: 'form-data', builtIn: false, importers: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]platform[\\/]/},
]
const lazyModules = {
  name: 'lazy-modules',
  setup(esbuild) {
    for (const {name, builtIn, importers} of LAZY) {
      const filter = new RegExp(`^${builtIn ? '(node:)?' : ''}${name}$`)
      esbuild.onResolve({filter}, args => (importers.test(args.importer) ? {path: name, namespace: 'lazy'} : undefined))
    }
    esbuild.onLoad({filter: /.*/, namespace: 'lazy'}, args => {
      const {builtIn} = LAZY.find(lazy => lazy.name === args.path)
      const load = `require(${JSON.stringify(builtIn ? `node:${args.path}` : args.path)})`
      // A module object is stood in for by an object, a class by a function (so that `new` works).
      const target = builtIn ? '{}' : 'function () {}'
      const construct = builtIn ? '' : `, construct: (_, args, newTarget) => Reflect.construct(${load}, args, newTarget)`
      return {
        contents: `module.exports = new Proxy(${target}, {get: (_, key) => key === '__esModule' ? undefined : ${load}[key]${construct}})`,
        loader: 'js',
        resolveDir: root,
      }
    })
  },
}

/** What both outputs are: one minified CommonJS file for Node 20 and later. */
const COMMON = {bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, legalComments: 'none', logLevel: 'warning'}

const result = await build({
  ...COMMON,
  stdin: {contents: entry, resolveDir: dist, sourcefile: 'aka-entry.js', loader: 'js'},
  outfile: join(dist, BUNDLE),
  write: false,
  external: EXTERNAL,
  plugins: [externalImports, patches, lazyModules],
})

let code = result.outputFiles[0].text
for (const specifier of dynamicImports) {
  const call = `import(${JSON.stringify(specifier)})`
  if (!code.includes(call)) throw new Error(`bundle: esbuild wrote no ${call}`)
  code = code.replaceAll(call, `${IMPORT}(${JSON.stringify(specifier)})`)
}
// What remains are oclif's import() of files it finds at run time (ESM plugins, TypeScript sources in
// development): aka's commands and hooks are all in the bundle and loaded with require.
const literal = code.match(/\bimport\(["'`][^)]*\)/)
if (literal) throw new Error(`bundle: ${literal[0]} is not routed through ${IMPORT}`)
writeFileSync(join(dist, BUNDLE), code)

// dist/boot.cjs, what bin/run.js requires before the bundle: the version line and the code cache's loader,
// as CommonJS (an ES module entry starts later). import.meta.url is the file's own URL, as in ESM.
await build({
  ...COMMON,
  stdin: {
    contents: "export {versionLine} from './boot/version-line.js'\nexport {bundleCacheFile, loadBundle} from './boot/compile-cache.js'\n",
    resolveDir: dist,
    sourcefile: 'boot-entry.js',
    loader: 'js',
  },
  outfile: join(dist, 'boot.cjs'),
  banner: {js: "const __bootUrl = require('node:url').pathToFileURL(__filename).href;"},
  define: {'import.meta.url': '__bootUrl'},
})

const byId = new Intl.Collator('en')
const sorted = Object.fromEntries(Object.entries(commands).sort(([a], [b]) => byId.compare(a, b)))
writeFileSync(join(dist, 'oclif.manifest.json'), JSON.stringify({version: pjson.version, commands: sorted}) + '\n')
console.log(`wrote dist/${BUNDLE}, dist/boot.cjs and dist/oclif.manifest.json (${Object.keys(commands).length} commands, ${hookExports.length} hooks)`)
