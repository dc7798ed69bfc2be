// The example apps on their own, run as the platform runs a dyno: node in the app's folder with PORT and DYNO.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {once} from 'node:events'
import {fileURLToPath} from 'node:url'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))

interface Dyno {
  child: ChildProcess
  output(): string
}

const started: ChildProcess[] = []

function run(app: string, file: string, env: Record<string, string>): Dyno {
  const child = spawn(process.execPath, [file], {cwd: `${examples}${app}`, env: {PATH: process.env.PATH ?? '', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  started.push(child)
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => text += chunk.toString())
  child.stderr?.on('data', (chunk: Buffer) => text += chunk.toString())
  return {child, output: () => text}
}

async function until(read: () => string, text: string): Promise<void> {
  while (!read().includes(text)) await new Promise(resolve => setTimeout(resolve, 20))
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  const [code] = await once(child, 'exit') as [number | null]
  return code
}

describe('examples', () => {
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })

  describe('hello web', () => {
    it('says where it listens, and exits 0 on SIGTERM', async () => {
      const web = run('hello', 'web.js', {PORT: '0', DYNO: 'web.abc123-xyz12', GREETING: 'Hi there'})
      await until(web.output, '\n')
      web.child.kill('SIGTERM')
      expect(await exitOf(web.child)).to.equal(0)
      expect(web.output()).to.match(/^listening on port \d+\nstopping\n$/)
    })

    it('answers /health and any other path with JSON: its greeting, dyno, release, port and the path', async () => {
      const web = run('hello', 'web.js', {PORT: '0', DYNO: 'web.abc123-xyz12', RELEASE_VERSION: '4', GREETING: 'Hi there'})
      await until(web.output, '\n')
      const port = Number(/listening on port (\d+)/.exec(web.output())?.[1])
      for (const path of ['/health', '/any/path?x=1']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`)
        expect(response.status).to.equal(200)
        expect(response.headers.get('content-type')).to.equal('application/json')
        expect(await response.json()).to.deep.equal({greeting: 'Hi there', dyno: 'web.abc123-xyz12', release: 4, port, path})
      }
      await until(web.output, 'GET /any/path?x=1 200\n')
      expect(web.output()).to.equal(`listening on port ${port}\nGET /any/path?x=1 200\n`)
    })
  })

  describe('hello worker', () => {
    it('logs a line a second with its greeting, and exits 0 on SIGTERM', async () => {
      const worker = run('hello', 'worker.js', {DYNO: 'worker.abc123-qqq11', GREETING: 'Hi there'})
      await until(worker.output, 'tick 1')
      worker.child.kill('SIGTERM')
      expect(await exitOf(worker.child)).to.equal(0)
      expect(worker.output()).to.equal('tick 1: Hi there\nstopping after 1 ticks\n')
    })
  })

  describe('crash', () => {
    it('says why and exits 1 at start', async () => {
      const web = run('crash', 'web.js', {PORT: '0', DYNO: 'web.abc123-zzz99'})
      expect(await exitOf(web.child)).to.equal(1)
      expect(web.output()).to.equal('web.abc123-zzz99: exiting with code 1 on purpose (the crash example)\n')
    })
  })
})
