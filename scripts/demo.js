#!/usr/bin/env node
// `npm run demo`: the main job on the local platform, with the built CLI (./bin/run.js). It starts the
// platform detached in the default state folder (~/.akkeris/local, or $AKKERIS_LOCAL_HOME) and leaves it
// running, so `aka` keeps working on the demo app afterwards. Extra arguments go to `local:start`.
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const APP = 'hello'
const SPACE = 'default'
const KEY = `${APP}-${SPACE}`

if (!existsSync(new URL('../dist/config/local.js', import.meta.url))) {
  console.error('demo: the CLI is not built: run `npm install` (it builds dist/) and try again')
  process.exit(1)
}
const {readLocalPlatform, readLocalToken} = await import('../dist/config/local.js')
const {resolveEndpoint} = await import('../dist/config/hosts.js')

/**
 * Runs one aka step in the project folder. Its stderr goes straight to the terminal (live progress,
 * and the step's error when it fails); its stdout too, and the command before it, unless the demo
 * only reads its answer (`capture`).
 */
function aka(args, {env = process.env, capture = false} = {}) {
  if (!capture) console.error(`\n$ aka ${args.join(' ')}`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {cwd: root, env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit']})
    let stdout = ''
    child.stdout?.on('data', chunk => stdout += chunk)
    child.on('error', reject)
    child.on('close', code => {
      if (code === 0) resolve(stdout)
      else reject(Object.assign(new Error(`step \`aka ${args.join(' ')}\` failed with exit code ${code} (its error is above)`), {exitCode: code ?? 1}))
    })
  })
}

/** What to run first so that the hints (plain `aka` commands) reach the local platform too, or ''. */
function switchHint() {
  let source
  try {
    source = resolveEndpoint(process.env).source
  } catch (error) {
    return `  First:         ${error.message}${error.hint ? `; ${error.hint}` : ''}\n`
  }
  if (source === 'local') return ''
  if (source === 'env') return '  First:         unset AKKERIS_API_HOST AKKERIS_AUTH_HOST (they name another Akkeris)\n'
  return '  First:         ./bin/run.js auth:profile --local   (aka talks to another Akkeris by default)\n'
}

/** Every later step talks to the local platform, even when AKKERIS_API_HOST or ~/.akkeris/config.json name another Akkeris. */
function localEnv() {
  const platform = readLocalPlatform(process.env)
  const token = readLocalToken(process.env)
  if (!platform || !token) throw new Error('the local platform is not running after `aka local:start --detach`')
  const env = {...process.env, AKKERIS_API_HOST: platform.url, AKKERIS_AUTH_HOST: platform.url, API_TOKEN: token}
  delete env.API_AUTH
  delete env.AKKERIS_APP
  return {env, platform}
}

try {
  const running = readLocalPlatform(process.env)
  const unused = process.argv.length > 2 ? `; it is not started again, so ${process.argv.slice(2).join(' ')} is not used` : ''
  if (running) console.error(`The local platform already runs at ${running.url} (pid ${running.pid})${unused}.`)
  else await aka(['local:start', '--detach', ...process.argv.slice(2)])
  const {env, platform} = localEnv()

  const apps = JSON.parse(await aka(['apps', '--json'], {env, capture: true}))
  if (apps.some(app => app.name === KEY)) console.error(`${KEY} exists already: deploying to it again.`)
  else await aka(['apps:create', APP, '-s', SPACE], {env})

  await aka(['local:deploy', 'examples/hello', '-a', KEY, '--wait'], {env})
  await aka(['ps:scale', 'web=2', 'worker=1', '-a', KEY, '--wait'], {env})
  await aka(['ps', '-a', KEY], {env})
  const app = JSON.parse(await aka(['apps:info', '-a', KEY, '--json'], {env, capture: true}))

  console.log(`
${KEY} runs on the local platform at ${platform.url} (state in ${process.env.AKKERIS_LOCAL_HOME || '~/.akkeris/local'}).
  Its URL:       ${app.web_url || '(none yet)'}
${switchHint()}  Try:           curl ${app.web_url || '<its URL>'}/
                 ./bin/run.js logs -a ${KEY} --tail
                 ./bin/run.js config:set GREETING='Hi there' -a ${KEY}
  Stop it all:   ./bin/run.js local:stop   (or \`aka local:stop\` once \`npm link\` has put aka on your PATH)`)
} catch (error) {
  console.error(`\ndemo failed: ${error.message}`)
  process.exit(error.exitCode ?? 1)
}
