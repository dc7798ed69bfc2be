// Property-based fuzzing of every API route against the real platform in its own process (issue 9):
// valid-looking and hostile requests (weird types, unicode, huge strings, wrong JSON types, bad
// JSON, bad paths, percent-encoding) never get a 5xx; every 4xx is one line, empty only where the
// contract says (401, unknown routes); afterwards the platform is alive and its state consistent.
// The platform runs with a PATH where no `sh` exists: a dyno's spawn fails (a start failure), so no
// generated command is ever run, and dynos cost nothing.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import fc from 'fast-check'

import type {App, Dyno, Formation} from '../../src/api/types.js'
import {readLocalPlatform} from '../../src/config/local.js'
import {tempDir, until} from './rollout-helpers.js'
import {platformMain} from '../helpers/built.js'

const REQUESTS = 2000
/** Requests sent at once: concurrent clients, and a shorter run. */
const BATCH = 4

interface FuzzRequest {
  method: string
  path: string
  /** Sent as is when a string, else as JSON; never on GET. */
  body?: unknown
}

interface Answer {
  status: number
  text: string
}

const APP_NAMES = ['fuzza', 'fuzzb', 'fuzzc']
const TYPES = ['web', 'worker', 'clock']

/** Strings a careless or hostile client sends: unicode, control characters, huge, percent-encoded, path tricks. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({unit: 'grapheme', maxLength: 40}),
  fc.string({unit: 'binary', maxLength: 40}),
  fc.constantFrom('', ' ', '..', '.', '%00', '%2F', '%2e%2e', '\0', '\n', 'web.', '.web', 'web..x', '\u202E', '\uD800', 'a'.repeat(70), '/health check', '?a=b c'),
  fc.integer({min: 1, max: 20_000}).map(length => 'x'.repeat(length)),
)

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({maxDepth: 3}),
  hostileString,
  fc.constantFrom(null, true, 0, -1, 1.5, 33, 1e308, [], {}, [[]], {__proto__: null}, 'x'.repeat(200_000)),
)

/** Either one of the pool, which the fuzzer creates and destroys, or anything. */
const appKey = fc.oneof({weight: 6, arbitrary: fc.constantFrom(...APP_NAMES.map(name => `${name}-default`))}, {weight: 1, arbitrary: hostileString})
const dynoType = fc.oneof({weight: 6, arbitrary: fc.constantFrom(...TYPES)}, {weight: 1, arbitrary: hostileString})
const dynoRef = fc.oneof(dynoType, fc.tuple(dynoType, hostileString).map(([type, name]) => `${type}.${name}`))
const quantity = fc.oneof({weight: 4, arbitrary: fc.integer({min: 0, max: 2})}, {weight: 1, arbitrary: fc.integer({min: 0, max: 32})}, {weight: 1, arbitrary: hostileJson})
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, {nil: undefined, freq: 2})

function formationFields(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    type: maybe(fc.oneof(dynoType, hostileJson)),
    quantity: maybe(quantity),
    size: maybe(fc.oneof(fc.constantFrom('gp1', 'gp2', 'scout', 'gp1-prod'), hostileJson)),
    port: maybe(fc.oneof(fc.integer({min: 1024, max: 65_535}), hostileJson)),
    command: maybe(fc.oneof(fc.constant('node worker.js'), hostileString, hostileJson)),
    healthcheck: maybe(fc.oneof(fc.constant('/health'), hostileString, hostileJson)),
    removeHealthcheck: maybe(hostileJson),
    'remove-command': maybe(hostileJson),
  }, {requiredKeys: []})
}

function body(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    {weight: 4, arbitrary: valid},
    {weight: 1, arbitrary: hostileJson},
    {weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'nul', '[1,', '\u0000', '{"name":"x"}}', '', 'x'.repeat(1024 * 1024 + 1))},
  )
}

function requests(sourceUrl: string): fc.Arbitrary<FuzzRequest> {
  const app = (suffix: fc.Arbitrary<string>) => fc.tuple(appKey, suffix).map(([key, rest]) => `/apps/${key}${rest}`)
  const config = fc.dictionary(fc.oneof(fc.constantFrom('GREETING', 'DB_PASSWORD', 'PORT'), hostileString), fc.oneof(fc.string(), hostileString, hostileJson), {maxKeys: 4})
  const route = (method: string, path: fc.Arbitrary<string>, payload?: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzRequest> =>
    fc.record({method: fc.constant(method), path, body: payload ? body(payload) : fc.constant(undefined)})
  return fc.oneof(
    route('GET', fc.constant('/apps')),
    // Apps are created more often than destroyed, so that most requests reach one that exists.
    {weight: 3, arbitrary: route('POST', fc.constant('/apps'), fc.record({name: fc.oneof(fc.constantFrom(...APP_NAMES), hostileString), space: maybe(hostileJson), org: maybe(hostileJson)}, {requiredKeys: ['name']}))},
    route('GET', app(fc.constant(''))),
    route('DELETE', app(fc.constant(''))),
    route('GET', app(fc.constant('/formation'))),
    route('POST', app(fc.constant('/formation')), formationFields()),
    route('PATCH', app(fc.constant('/formation')), fc.array(formationFields(), {maxLength: 3})),
    route('GET', app(dynoType.map(type => `/formation/${type}`))),
    route('PATCH', app(dynoType.map(type => `/formation/${type}`)), formationFields()),
    route('DELETE', app(dynoType.map(type => `/formation/${type}`))),
    route('GET', app(fc.constant('/dynos'))),
    route('DELETE', app(fc.constant('/dynos'))),
    route('GET', app(dynoRef.map(ref => `/dynos/${ref}`))),
    route('DELETE', app(dynoRef.map(ref => `/dynos/${ref}`))),
    route('POST', app(dynoRef.map(ref => `/dynos/${ref}/actions/stop`))),
    route('POST', app(dynoRef.map(ref => `/dynos/${ref}/actions/attach`)), fc.record({command: maybe(fc.oneof(fc.constant(['sh', '-c', 'kill -15 -1']), hostileJson)), alias: maybe(hostileJson)}, {requiredKeys: []})),
    route('GET', app(fc.constant('/config-vars'))),
    route('PATCH', app(fc.constant('/config-vars')), config),
    route('GET', app(fc.constant('/releases'))),
    route('POST', app(fc.constant('/builds')), fc.record({url: fc.oneof(fc.constant(sourceUrl), fc.constant(`${sourceUrl}/nothere`), fc.constant('file:///a%0Ab'), hostileString, hostileJson)})),
    route('GET', app(fc.tuple(maybe(fc.oneof(fc.nat(20_000).map(String), hostileString)), fc.constantFrom('true', 'false', 'x')).map(([lines, tail]) => `/logs?tail=${tail}${lines === undefined ? '' : `&lines=${lines}`}`))),
    route('GET', fc.constant('/sizes')),
    fc.record({method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), path: hostileString.map(path => `/${path}`), body: fc.constant(undefined)}),
  )
}

describe('fuzzing every API route of a running platform', function () {
  this.timeout(180_000)
  let home: string
  let child: ChildProcess | undefined
  const output: string[] = []

  beforeEach(() => {
    home = tempDir('aka-fuzz-')
    output.length = 0
  })

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(resolve => child?.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }
    child = undefined
    rmSync(home, {recursive: true, force: true})
  })

  it(`answers ${REQUESTS}+ generated requests without a 5xx, each 4xx on one line, and stays alive and consistent`, async () => {
    const source = join(home, 'source')
    mkdirSync(source)
    writeFileSync(join(source, 'Procfile'), 'web: node web.js\nworker: node worker.js\n')
    const noShell = join(home, 'no-shell')
    mkdirSync(noShell)
    child = spawn(process.execPath, [platformMain, '--port', '0'], {env: {...process.env, PATH: noShell, AKKERIS_LOCAL_HOME: join(home, 'state')}, stdio: ['ignore', 'ignore', 'pipe']})
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    const record = await until('the platform listening', async () => readLocalPlatform({AKKERIS_LOCAL_HOME: join(home, 'state')}), output)
    const token = readFileSync(join(home, 'state', 'token'), 'utf8').trim()

    const send = async ({method, path, body}: FuzzRequest): Promise<Answer> => {
      const response = await fetch(`${record.url}${path}`, {
        method,
        headers: {authorization: `Bearer ${token}`},
        body: body === undefined || method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      })
      // A log tail never ends: its status and headers are the answer.
      if (path.includes('tail=true') && response.ok) {
        await response.body?.cancel()
        return {status: response.status, text: ''}
      }
      return {status: response.status, text: await response.text()}
    }

    // What the fuzzer once found: a request refused for its headers while its body is still on the
    // way (a path of 17 KiB, a body of 1 MiB) was answered with a reset connection, not its 431.
    for (let attempt = 0; attempt < 10; attempt++) {
      const refused = await send({method: 'PATCH', path: `/apps/${'x'.repeat(17 * 1024)}/config-vars`, body: 'x'.repeat(1024 * 1024 + 1)})
      expect(refused.status).to.equal(431)
    }
    for (const name of APP_NAMES) {
      await send({method: 'POST', path: '/apps', body: {name}})
      await send({method: 'POST', path: `/apps/${name}-default/builds`, body: {url: pathToFileURL(source).href}})
    }
    let sent = 0
    const statuses = new Map<number, number>()
    await fc.assert(fc.asyncProperty(fc.array(requests(pathToFileURL(source).href), {minLength: BATCH, maxLength: BATCH}), async batch => {
      // A few at a time, as concurrent clients would send them.
      const answers = await Promise.all(batch.map(send))
      sent += batch.length
      answers.forEach((answer, index) => {
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
        // Said only when it fails: the body may be a megabyte, the platform's output thousands of lines.
        const what = () => `${batch[index].method} ${batch[index].path.slice(0, 200)} ${String(JSON.stringify(batch[index].body)).slice(0, 300)} -> ${answer.status} ${answer.text.slice(0, 200)}`
        if (answer.status >= 500) expect.fail(`${what()}\n${output.join('').split('\n').filter(line => line.includes('error')).slice(-1).join('')}`)
        if (answer.status < 400) return
        if (/[\r\n]/.test(answer.text)) expect.fail(`an answer of more than one line: ${what()}`)
        if (answer.text === '' && answer.status !== 401 && answer.status !== 404) expect.fail(`an empty answer other than 401 or 404: ${what()}`)
      })
    }), {numRuns: Math.ceil(REQUESTS / BATCH), endOnFailure: true, ...(process.env.FUZZ_SEED ? {seed: Number(process.env.FUZZ_SEED)} : {})})
    expect(sent).to.be.at.least(REQUESTS)
    expect(statuses.get(401) ?? 0, 'every request carried the token').to.equal(0)
    expect([...statuses.keys()].filter(status => status < 300), 'some requests succeeded').to.have.length.above(0)

    expect(child.exitCode, output.join('').slice(-3000)).to.equal(null)
    const get = async <T>(path: string): Promise<T> => {
      const answer = await send({method: 'GET', path})
      expect(answer.status, `${path} ${answer.text}`).to.equal(200)
      return JSON.parse(answer.text) as T
    }
    const apps = await get<App[]>('/apps')
    for (const app of apps) {
      expect((await get<App>(`/apps/${app.name}`)).id).to.equal(app.id)
      const formations = await get<Formation[]>(`/apps/${app.name}/formation`)
      expect(formations.filter(formation => formation.app?.name !== app.name || formation.app.id !== app.id), 'formations of another app').to.deep.equal([])
      const dynos = await get<Dyno[]>(`/apps/${app.name}/dynos`)
      expect(dynos.filter(dyno => dyno.app.id !== app.id), 'dynos of another app').to.deep.equal([])
      expect(dynos.filter(dyno => dyno.state !== 'stopping' && !formations.some(formation => formation.type === dyno.type)), 'dynos of no formation').to.deep.equal([])
      await get(`/apps/${app.name}/config-vars`)
      await get(`/apps/${app.name}/releases`)
    }
    await get('/sizes')

    const exited = new Promise<number | null>(resolve => child?.once('exit', code => resolve(code)))
    child.kill('SIGTERM')
    expect(await exited, output.join('').slice(-3000)).to.equal(0)
  })
})
