// Runs before anything that loads the `debug` package. Third-party debug output is never turned
// on: oclif's prints the command line (with config values in it) and follow-redirects' prints
// request headers (with the token). DEBUG keeps `aka` (asked for by `aka` or `*`) and the
// namespaces below, which print neither; any other namespace is dropped.
const KEPT_AS_ASKED = new Set(['oclif:perf'])

/** @param {NodeJS.ProcessEnv} env */
export function onlyOwnDebug(env) {
  if (env.DEBUG === undefined) return
  const kept = new Set()
  for (const name of env.DEBUG.split(/[\s,]+/)) {
    if (name === 'aka' || name === '*') kept.add('aka')
    else if (KEPT_AS_ASKED.has(name)) kept.add(name)
  }
  if (kept.size > 0) env.DEBUG = [...kept].join(',')
  else delete env.DEBUG
}
