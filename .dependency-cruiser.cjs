// The layers of src/ (design §2) and the one-way imports between them, checked by `npm run lint`.
// A rule names what a folder may not reach; the reason is the message a violation prints.
const ALLOWED_IN_COMMANDS = '^src/(commands|cli|api|render|domain|config)/|^src/errors\\.ts$'
// The local commands start and stop the platform, so they reach its entry points, not its inside.
const PLATFORM_ENTRY = '^src/platform/(main|daemon|platform-log)\\.ts$'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      // A cycle of type imports alone is erased at compile time; a cycle that runs makes load order matter.
      name: 'no-circular',
      severity: 'error',
      comment: 'modules import one way',
      from: {},
      to: {circular: true, viaOnly: {dependencyTypesNot: ['type-only']}},
    },
    {
      name: 'commands-layers',
      severity: 'error',
      comment: 'a command uses cli, api, render, domain and config only',
      from: {path: '^src/commands/', pathNot: '^src/commands/local/'},
      to: {path: '^src/', pathNot: ALLOWED_IN_COMMANDS},
    },
    {
      name: 'local-commands-layers',
      severity: 'error',
      comment: 'the local commands reach the platform only through its entry points',
      from: {path: '^src/commands/local/'},
      to: {path: '^src/', pathNot: `${ALLOWED_IN_COMMANDS}|${PLATFORM_ENTRY}`},
    },
    {
      name: 'api-knows-no-terminal',
      severity: 'error',
      comment: 'the API client knows nothing of oclif or the terminal',
      from: {path: '^src/api/'},
      to: {path: '^src/(commands|cli|render|boot|platform)/|(^|/)node_modules/(@oclif|chalk|cli-table3|@inquirer)/'},
    },
    {
      name: 'render-knows-no-http',
      severity: 'error',
      comment: 'render shows data it is given: no API client, no HTTP',
      from: {path: '^src/render/'},
      to: {path: '^src/(api/(?!types\\.ts$)|commands/|cli/|platform/)|(^|/)node_modules/axios/|^(node:)?https?$'},
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain rules import only other rules, errors, API types and the cron parser (a pure library)',
      from: {path: '^src/domain/'},
      to: {pathNot: '^(src/(domain/|errors\\.ts$|api/types\\.ts$)|node_modules/croner/)'},
    },
    {
      name: 'platform-knows-no-cli',
      severity: 'error',
      comment: 'the platform never imports the commands, the CLI glue or render',
      from: {path: '^src/platform/'},
      to: {path: '^src/(commands|cli|render|boot)/'},
    },
    {
      name: 'cli-below-commands',
      severity: 'error',
      comment: 'cli serves the commands and never imports one (or the platform)',
      from: {path: '^src/(cli|config)/'},
      to: {path: '^src/(commands|platform|boot)/'},
    },
    {
      name: 'boot-only-for-bin',
      severity: 'error',
      comment: 'boot is what bin/run.js loads before oclif: it stands alone',
      from: {path: '^src/boot/'},
      to: {path: '^src/'},
    },
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    enhancedResolveOptions: {exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default']},
  },
}
