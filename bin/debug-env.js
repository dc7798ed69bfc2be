// Runs before anything that loads the `debug` package. Third-party debug output is never turned
// on: oclif's prints the command line (with config values in it) and follow-redirects' prints
// request headers (with the token). DEBUG keeps `aka` (asked for by `aka` or `*`) and the
// namespaces below, which print neither; any other namespace is dropped.

const KEPT_AS_ASKED = new Set(['oclif:perf'])

/** @param {NodeJS.ProcessEnv} env */
function onlyOwnDebug(env) {
  if (env.DEBUG === undefined) return
  const kept = new Set()
  for (const name of env.DEBUG.split(/[\s,]+/)) {
    if (name === 'aka' || name === '*') kept.add('aka')
    else if (KEPT_AS_ASKED.has(name)) kept.add(name)
  }
  if (kept.size > 0) env.DEBUG = [...kept].join(',')
  else delete env.DEBUG
}

/**
 * NODE_DEBUG turns on Node's own debug output, which Node reads once, before any of aka runs:
 * `http` prints every request's options, the token's header among them. aka has no use for it, so
 * a run with it set runs again without it, as a child that inherits the terminal, and exits as
 * that child did. child_process is loaded only then: it is not needed on any other start.
 */
function rerunWithoutNodeDebug() {
  if (!process.env.NODE_DEBUG) return
  const env = {...process.env}
  delete env.NODE_DEBUG
  const {spawnSync} = require('node:child_process')
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {stdio: 'inherit', env})
  process.exit(result.status ?? 1)
}

module.exports = {onlyOwnDebug, rerunWithoutNodeDebug}
