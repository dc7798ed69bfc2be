// aka 3.1.26's requests for apps:info, auth:whoami and logs, byte for byte as it sends them
// (reference: releases-logs-account §0, §6), against the local platform's routes.
import {expect} from 'chai'
import {copyFileSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {join} from 'node:path'

import type {ControllerApp, GatewayAccount} from '../../../src/api/types.js'
import {loadTlsMaterial} from '../../../src/platform/api/local-ca.js'
import {LogSessions, MAX_PENDING_SESSIONS, SESSION_TTL_MS} from '../../../src/platform/api/log-sessions.js'
import type {Context} from '../../../src/platform/api/routes/context.js'
import {expectError, startTestPlatform, tempHome, type TestPlatform} from './harness.js'

/** The header set aka 3.x sends on every API call (aka-cli reference §1.3). */
function oldClientHeaders(token: string): Record<string, string> {
  return {'content-type': 'application/json', authorization: `Bearer ${token}`, accept: '*/*', 'accept-encoding': 'gzip', 'user-agent': 'akkeris-cli'}
}

/** A bare GET as aka 3.x's logs sends it (no headers), trusting only the platform's CA. */
function getLogSession(url: string, ca: string): Promise<{status: number, body: string}> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, {ca}, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * State folders holding a certificate authority and log-session certificate made once for these
 * tests (a few hundred milliseconds of RSA signing each time otherwise); the test of the authority
 * itself starts from an empty folder.
 */
let template: string
const withTls = () => {
  const home = tempHome()
  for (const file of readdirSync(template)) copyFileSync(join(template, file), join(home, file))
  return home
}

describe('aka 3.1.26 and its log sessions', () => {
  before(async () => {
    template = tempHome()
    await loadTlsMaterial(template)
  })

  after(() => {
    rmSync(template, {recursive: true, force: true})
  })

  describe('local platform API: aka 3.1.26 as the client', () => {
    let platform: TestPlatform

    beforeEach(async () => {
      platform = await startTestPlatform(withTls())
      await platform.request('POST', '/apps', {name: 'hello'})
    })

    afterEach(async () => {
      await platform.close()
    })

    const call = (method: string, path: string, body?: unknown) => platform.request(method, path, body, oldClientHeaders(platform.platform.token))

    it('apps:info: every field it lays out is a string, and every field the controller always sends is there', async () => {
      const reply = await call('GET', '/apps/hello-default')
      expect(reply.status).to.equal(200)
      const app = reply.json<ControllerApp>()
      for (const value of [app.id, app.description, app.organization.name, app.region.name, app.image, app.web_url, app.simple_name]) {
        expect(value).to.be.a('string')
      }
      expect(app).to.include({description: '', image: '', web_url: '', archived_at: app.created_at, buildpack_provided_description: 'default', labels: '', git_url: null, git_branch: null, preview: null, repo_size: 0, slug_size: 0})
      expect(app.build_stack).to.deep.equal(app.stack)
      expect(app.owner).to.deep.equal({id: app.owner.id, email: ''})
      expect(app.owner.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      // An app without a pipeline: the 404 aka 3.x ignores.
      expect((await call('GET', '/apps/hello-default/pipeline-couplings')).status).to.equal(404)
    })

    it('auth:whoami: GET /account answers the gateway\'s account of the user running the platform', async () => {
      const reply = await call('GET', '/account')
      expect(reply.status).to.equal(200)
      const account = reply.json<GatewayAccount>()
      expect(account.name).to.be.a('string').and.not.equal('')
      expect(account).to.include({email: '', verified: true, suspended_at: null})
      expect(Object.keys(account).sort()).to.deep.equal(['allow_tracking', 'beta', 'created_at', 'delinquent_at', 'email', 'id', 'last_login', 'name', 'sms_number', 'suspended_at', 'two_factor_authentication', 'updated_at', 'verified'])
    })

    describe('logs', () => {
      const ca = () => readFileSync(join(platform.home, 'ca.pem'), 'utf8')

      it('answers an https logplex_url that streams the last lines, relabelled as Akkeris writes them, and ends', async () => {
        platform.runtime.emit('2026-11-26T22:09:52Z web.0123456789-abcde: one')
        platform.runtime.emit('2026-11-26T22:09:53Z worker.0123456789-fghij: two')
        platform.runtime.emit('2026-11-26T22:09:54Z platform[worker.0123456789-fghij]: Process exited with status 1')
        const reply = await call('POST', '/apps/hello-default/log-sessions', {lines: 100, tail: false})
        expect(reply.status).to.equal(201)
        const session = reply.json<{id: string, logplex_url: string, created_at: string, updated_at: string}>()
        expect(session.logplex_url).to.match(/^https:\/\/127\.0\.0\.1:\d+\/log-sessions\/[A-Za-z0-9_-]{43}$/)
        const read = await getLogSession(session.logplex_url, ca())
        expect(read).to.deep.equal({
          status: 200,
          body: '2026-11-26T22:09:52Z hello-default app[web.0123456789-abcde]: one\n2026-11-26T22:09:53Z hello-default app[worker.0123456789-fghij]: two\n' +
            '2026-11-26T22:09:54Z hello-default platform[worker.0123456789-fghij]: Process exited with status 1\n',
        })
      })

      it('serves a URL once only', async () => {
        const {logplex_url: url} = (await call('POST', '/apps/hello-default/log-sessions', {lines: 1, tail: false})).json<{logplex_url: string}>()
        expect((await getLogSession(url, ca())).status).to.equal(200)
        const again = await getLogSession(url, ca())
        expect(again.status).to.equal(404)
        expect(again.body).to.contain('was used already or has expired')
      })

      it('follows new lines with tail until the reader goes', async () => {
        const {logplex_url: url} = (await call('POST', '/apps/hello-default/log-sessions', {lines: 10, tail: true})).json<{logplex_url: string}>()
        let stop: (() => void) | undefined
        const reading = new Promise<string>((resolve, reject) => {
          const req = httpsRequest(url, {ca: ca()}, res => {
            let body = ''
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => {
              body += chunk
              if (body.includes('later')) resolve(body)
            })
            stop = () => req.destroy()
            res.on('error', () => {})
          })
          req.on('error', reject)
          req.end()
        })
        while (platform.runtime.followerCount === 0) await new Promise(resolve => setImmediate(resolve))
        platform.runtime.emit('2026-11-26T22:10:00Z web.0123456789-abcde: later')
        expect(await reading).to.equal('2026-11-26T22:10:00Z hello-default app[web.0123456789-abcde]: later\n')
        stop?.()
      })

      it('checks the app, then lines, with the controller\'s texts', async () => {
        await expectError(platform, 'POST', '/apps/nope-default/log-sessions', {lines: 10}, 404, 'The specified application nope-default does not exist.')
        for (const lines of [undefined, null, 'abc', 0, 1.5]) {
          await expectError(platform, 'POST', '/apps/hello-default/log-sessions', {lines, tail: false}, 422, 'The specified lines was either not a number or less than 1.')
        }
        await expectError(platform, 'POST', '/apps/hello-default/log-sessions', {lines: 251}, 422, 'The specified lines field was larger than allowed (250 is the maximum).')
        expect(platform.platform.store.apps()).to.have.length(1)
      })
    })
  })

  describe('log sessions: one use, time to live, bounded', () => {
    let home: string
    let clock = 0
    let sessions: LogSessions
    const context = {} as Context
    const route = {method: 'GET', path: '/apps/:app/logs', handle() {}}

    beforeEach(() => {
      home = withTls()
      clock = 1_000_000
      sessions = new LogSessions(home, '127.0.0.1', route, () => clock)
    })

    afterEach(async () => {
      await sessions.close()
      rmSync(home, {recursive: true, force: true})
    })

    const create = () => sessions.create(context, {appId: 'a', appKey: 'hello-default', lines: 1, tail: false})

    it('forgets a session not read within its time to live', async () => {
      const fresh = await create()
      const stale = await create()
      clock += SESSION_TTL_MS - 1
      expect(sessions.take(fresh.id)).to.include({appKey: 'hello-default'})
      clock += 1
      expect(sessions.take(stale.id)).to.equal(undefined)
    })

    it('keeps at most MAX_PENDING_SESSIONS waiting, dropping the oldest', async () => {
      const first = await create()
      for (let index = 1; index < MAX_PENDING_SESSIONS; index++) await create()
      const last = await create()
      expect(sessions.pending).to.equal(MAX_PENDING_SESSIONS)
      expect(sessions.take(first.id)).to.equal(undefined)
      expect(sessions.take(last.id)).to.not.equal(undefined)
    })

    it('keeps its certificate authority in the state folder, its key readable by the owner only', async () => {
      await sessions.close()
      rmSync(home, {recursive: true, force: true})
      home = tempHome()
      sessions = new LogSessions(home, '127.0.0.1', route, () => clock)
      await create()
      const ca = readFileSync(join(home, 'ca.pem'), 'utf8')
      expect(ca).to.match(/^-----BEGIN CERTIFICATE-----/)
      expect(statSync(join(home, 'ca-key.pem')).mode & 0o777).to.equal(0o600)
      await sessions.close()
      sessions = new LogSessions(home, '127.0.0.1', route, () => clock)
      await create()
      expect(readFileSync(join(home, 'ca.pem'), 'utf8'), 'a trusted ca.pem stays valid across starts').to.equal(ca)
    })
  })
})
