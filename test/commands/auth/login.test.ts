import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {PassThrough} from 'node:stream'
import nock from 'nock'

import {API_HOST, blockNetwork} from '../../helpers/api.js'
import {answer} from '../../helpers/answer.js'
import {runCommand} from '../../helpers/run.js'

const AUTH_URL = 'https://auth.akkeris.test'
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
const netrcBefore = [
  '# personal',
  'machine github.com',
  '  login alice',
  '  password ghp_keep',
  `machine ${API_HOST} login alice password expired-token`,
  'machine 127.0.0.1:5000 login dev password "local pass"',
  '',
].join('\n')

/** The body aka 3.x sent: a unique note, and the scopes the auth host grants. */
function isTokenRequest(body: Record<string, unknown>): boolean {
  return typeof body.note === 'string' && body.note.startsWith('Akkeris CLI Token (')
    && JSON.stringify(body.scopes) === JSON.stringify(['read:user', 'read:org'])
}

describe('aka auth:login', () => {
  blockNetwork()
  let home: string
  let env: Record<string, string>
  const netrc = () => readFileSync(join(home, '.netrc'), 'utf8')

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'aka-home-'))
    env = {HOME: home, AKKERIS_API_HOST: API_HOST, AKKERIS_AUTH_HOST: 'auth.akkeris.test'}
    writeFileSync(join(home, '.netrc'), netrcBefore, {mode: 0o644})
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  it('asks for username and password, and stores the token for the API host alone, mode 0600', async () => {
    nock(AUTH_URL, {reqheaders: {authorization: basic('alice', 's3cret pw'), 'content-type': 'application/json'}})
      .post('/authorizations', isTokenRequest).reply(201, {id: 'auth-1', token: 'fresh-token'})
    const {stdout, stderr, exitCode} = await runCommand(['auth:login'], {
      env, tty: true, interact: answer(['Username', 'alice'], ['Password', 's3cret pw']),
    })
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.match(/Logged in to apps\.akkeris\.test as alice\.\n$/)
    expect(stderr + stdout).not.to.include('s3cret').and.not.to.include('fresh-token')
    expect(netrc()).to.equal(netrcBefore.replace('password expired-token', 'password fresh-token'))
    expect(statSync(join(home, '.netrc')).mode & 0o777).to.equal(0o600)
  })

  it('asks for the two-factor code when the auth host wants one, and sends it in the header it named', async () => {
    nock(AUTH_URL, {reqheaders: {authorization: basic('alice', 'pw')}, badheaders: ['x-github-otp']})
      .post('/authorizations', isTokenRequest)
      .reply(401, {message: 'Must specify two-factor authentication OTP code.'}, {'X-GitHub-OTP': 'required; app'})
    nock(AUTH_URL, {reqheaders: {authorization: basic('alice', 'pw'), 'x-github-otp': '123456'}})
      .post('/authorizations', isTokenRequest).reply(201, {id: 'auth-2', token: 'otp-token'})
    const {exitCode} = await runCommand(['auth:login', '-u', 'alice'], {
      env, tty: true, interact: answer(['Password', 'pw'], ['Two-factor code', '123456']),
    })
    expect(exitCode).to.equal(0)
    expect(netrc()).to.include(`machine ${API_HOST} login alice password otp-token\n`)
  })

  it('takes --username and the password from stdin without a terminal', async () => {
    nock(AUTH_URL, {reqheaders: {authorization: basic('alice', 'piped-pw')}})
      .post('/authorizations', isTokenRequest).reply(201, {id: 'auth-3', token: 'script-token'})
    const {stdout, stderr, exitCode} = await runCommand(['auth:login', '--username', 'alice'], {
      env, interact: term => (term.stdin as PassThrough).end('piped-pw\nignored\n'),
    })
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Logged in to apps.akkeris.test as alice.\n')
    expect(netrc()).to.equal(netrcBefore.replace('password expired-token', 'password script-token'))
  })

  it('adds an entry for an API host that has none', async () => {
    nock(AUTH_URL).post('/authorizations').reply(201, {id: 'auth-4', token: 'new-host-token'})
    await runCommand(['auth:login', '-u', 'bob'], {
      env: {...env, AKKERIS_API_HOST: 'apps.other.test'}, interact: term => (term.stdin as PassThrough).end('pw\n'),
    })
    expect(netrc()).to.equal(`${netrcBefore}machine apps.other.test\n  login bob\n  password new-host-token\n`)
  })

  it('is a usage error without a terminal and without --username, and sends nothing', async () => {
    const {stderr, exitCode} = await runCommand(['auth:login'], {env})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: Without a terminal, pass --username and the password on stdin\n')
    expect(netrc()).to.equal(netrcBefore)
  })

  it('says the credentials were refused, exit 1, and keeps ~/.netrc as it was', async () => {
    nock(AUTH_URL).post('/authorizations').reply(401, '')
    const {stdout, stderr, exitCode} = await runCommand(['auth:login', '-u', 'alice'], {env, interact: term => (term.stdin as PassThrough).end('wrong\n')})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: Not logged in: https://auth.akkeris.test refused the credentials (HTTP 401); check the username, password and two-factor code\n')
    expect(netrc()).to.equal(netrcBefore)
  })

  it('cannot answer a two-factor request without a terminal', async () => {
    nock(AUTH_URL).post('/authorizations').reply(401, 'OTP required', {'x-akkeris-otp': 'required'})
    const {stderr, exitCode} = await runCommand(['auth:login', '-u', 'alice'], {env, interact: term => (term.stdin as PassThrough).end('pw\n')})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: auth.akkeris.test asks for a two-factor code; run `aka auth:login` on a terminal\n')
    expect(netrc()).to.equal(netrcBefore)
  })

  it('needs an auth host', async () => {
    mkdirSync(join(home, '.akkeris'))
    writeFileSync(join(home, '.akkeris', 'config.json'), JSON.stringify({apps: 'apps.akkeris.test'}))
    const {stderr, exitCode} = await runCommand(['auth:login', '-u', 'alice'], {env: {HOME: home}})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: No auth host is configured; run `aka auth:profile`\n')
  })
})
