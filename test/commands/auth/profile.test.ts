import {expect} from 'chai'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {blockNetwork} from '../../helpers/api.js'
import {answer} from '../../helpers/answer.js'
import {runCommand} from '../../helpers/run.js'

describe('aka auth:profile', () => {
  blockNetwork()
  let home: string
  const configFile = () => join(home, '.akkeris', 'config.json')
  const written = () => JSON.parse(readFileSync(configFile(), 'utf8')) as unknown

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'aka-home-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  it('writes both hosts from the flags, for scripts', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['auth:profile', '--auth-host', 'Auth.Example.io', '--api-host', 'http://127.0.0.1:5000/'], {env: {HOME: home}})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Profile updated.\n')
    expect(written()).to.deep.equal({auth: 'auth.example.io', apps: 'http://127.0.0.1:5000'})
  })

  it('keeps the other settings of an existing config.json', async () => {
    mkdirSync(join(home, '.akkeris'))
    writeFileSync(configFile(), JSON.stringify({auth: 'old-auth.test', apps: 'old-apps.test', updates: '0'}))
    await runCommand(['auth:profile', '--auth-host', 'auth.example.io', '--api-host', 'apps.example.io'], {env: {HOME: home}})
    expect(written()).to.deep.equal({auth: 'auth.example.io', apps: 'apps.example.io', updates: '0'})
  })

  it('asks for both hosts on a terminal, offering the current ones', async () => {
    mkdirSync(join(home, '.akkeris'))
    writeFileSync(configFile(), JSON.stringify({auth: 'old-auth.test', apps: 'old-apps.test'}))
    const {stderr, exitCode} = await runCommand(['auth:profile'], {
      env: {HOME: home},
      tty: true,
      interact: answer(['Akkeris auth host (auth.example.io)', 'auth.example.io'], ['Akkeris apps host (apps.example.io)', '']),
    })
    expect(exitCode).to.equal(0)
    expect(stderr).to.include('old-apps.test')
    expect(stderr).to.match(/Profile updated\.\n$/)
    expect(written()).to.deep.equal({auth: 'auth.example.io', apps: 'old-apps.test'})
  })

  it('asks only for the host a flag did not give', async () => {
    const {exitCode} = await runCommand(['auth:profile', '--api-host', 'apps.example.io'], {
      env: {HOME: home},
      tty: true,
      interact: answer(['Akkeris auth host', 'auth.example.io']),
    })
    expect(exitCode).to.equal(0)
    expect(written()).to.deep.equal({auth: 'auth.example.io', apps: 'apps.example.io'})
  })

  it('is a usage error without a terminal and without both flags, and writes nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['auth:profile', '--api-host', 'apps.example.io'], {env: {HOME: home}})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: Without a terminal, pass both --auth-host and --api-host; or --local for the local platform\n')
    expect(existsSync(configFile())).to.equal(false)
  })

  it('refuses a host with spaces', async () => {
    const {stderr, exitCode} = await runCommand(['auth:profile', '--auth-host', 'auth example', '--api-host', 'apps.example.io'], {env: {HOME: home}})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: --auth-host needs a host name, not "auth example"; e.g. auth.example.io\n')
    expect(existsSync(configFile())).to.equal(false)
  })

  it('exits 130 when the question is cancelled with Ctrl-C', async () => {
    const {exitCode, stderr} = await runCommand(['auth:profile'], {env: {HOME: home}, tty: true, interact: answer(['Akkeris auth host', '\u0003'])})
    expect(exitCode).to.equal(130)
    expect(stderr).to.match(/Error: Interrupted\n$/)
    expect(existsSync(configFile())).to.equal(false)
  })
})
