// DEBUG must never print the token or a config value: the real CLI, as a user runs it from a
// shell, against an API on 127.0.0.1 that records what it was sent.
import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {akaBin} from '../helpers/built.js'

const TOKEN = 'tok3n-9f8e7d6c5b4a'
const VALUE = 'pa55-w0rd-1a2b3c4d'

interface Run {
  output: string
  exitCode: number
}

describe('DEBUG and secrets', function () {
  this.timeout(60_000)
  let server: Server
  let home: string
  const requests: string[] = []

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'aka-debug-'))
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => body += chunk.toString())
      req.on('end', () => {
        requests.push(`${req.method} ${req.url}`)
        // A redirect is never followed: the API has none, and following one is where the token leaked.
        if (req.url?.startsWith('/apps/moved-default')) {
          res.writeHead(302, {location: '/apps/elsewhere-default/config-vars'})
          res.end()
          return
        }
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(body)
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  })

  after(async () => {
    await new Promise(resolve => server.close(resolve))
    rmSync(home, {recursive: true, force: true})
  })

  function aka(args: string[], debug: string, nodeDebug?: string): Promise<Run> {
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
    const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, AKKERIS_API_HOST: host, AKKERIS_AUTH_HOST: host, AKKERIS_API_INSECURE: '1', API_TOKEN: TOKEN, DEBUG: debug, NO_COLOR: '1', ...nodeDebug === undefined ? {} : {NODE_DEBUG: nodeDebug}}
    return new Promise(resolve => {
      execFile(process.execPath, [akaBin, ...args], {env, timeout: 50_000}, (error, stdout, stderr) => {
        resolve({output: stdout + stderr, exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0})
      })
    })
  }

  for (const debug of ['*', 'aka', 'oclif:*,follow-redirects,axios']) {
    it(`prints neither the token nor the value with DEBUG=${debug}`, async () => {
      const run = await aka(['config:set', `DB_PASSWORD=${VALUE}`, '-a', 'shop-default'], debug)
      expect(run.exitCode, run.output).to.equal(0)
      expect(run.output).to.include('Set DB_PASSWORD on ⬢ shop-default.')
      expect(run.output).to.not.include(TOKEN)
      expect(run.output).to.not.include(VALUE)
      if (debug !== 'aka' && debug !== '*') return
      // DEBUG=aka is aka's own one line per request: method, URL, status, time.
      expect(run.output).to.match(/^aka PATCH http:\/\/127\.0\.0\.1:\d+\/apps\/shop-default\/config-vars 200 \d+ms$/m)
    })
  }

  it('prints neither the token nor the value with NODE_DEBUG=http,net (Node\'s own debug output), and exits as the command does', async () => {
    const run = await aka(['config:set', `DB_PASSWORD=${VALUE}`, '-a', 'shop-default'], '*', 'http,net')
    expect(run.exitCode, run.output).to.equal(0)
    expect(run.output).to.include('Set DB_PASSWORD on ⬢ shop-default.')
    expect(run.output).to.not.include(TOKEN)
    expect(run.output).to.not.include(VALUE)
  })

  it('follows no redirect, and prints no secret when the answer is one', async () => {
    requests.length = 0
    const run = await aka(['config:set', `DB_PASSWORD=${VALUE}`, '-a', 'moved-default'], '*')
    expect(run.exitCode).to.equal(1)
    expect(run.output).to.not.include(TOKEN)
    expect(run.output).to.not.include(VALUE)
    expect(requests).to.deep.equal(['PATCH /apps/moved-default/config-vars'])
  })
})
