import {expect} from 'chai'
import {chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {readNetrcEntry, removeNetrcEntry, writeNetrcEntry} from '../../src/config/netrc.js'

const several = [
  '# work machines',
  'machine github.com',
  '  login alice',
  '  password ghp_abc  # the CI token',
  '',
  'machine apps.akkeris.test login old-user password old-token',
  '',
  '# a dev box with a port',
  'machine 127.0.0.1:5000',
  '    login dev',
  '    password "two words"',
  '',
].join('\n')

describe('~/.netrc', () => {
  let dir: string
  let file: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aka-netrc-'))
    file = join(dir, '.netrc')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('reads the entry of one machine, with a port, ignoring comments', () => {
    writeFileSync(file, several)
    expect(readNetrcEntry('github.com', file)).to.deep.equal({login: 'alice', password: 'ghp_abc'})
    expect(readNetrcEntry('apps.akkeris.test', file)).to.deep.equal({login: 'old-user', password: 'old-token'})
    expect(readNetrcEntry('apps.example.io', file)).to.equal(undefined)
  })

  it('reads a quoted value with spaces and escapes', () => {
    writeFileSync(file, several + 'machine quoted.test login "a \\"b\\"" password "p#ss word"\n')
    expect(readNetrcEntry('127.0.0.1:5000', file)).to.deep.equal({login: 'dev', password: 'two words'})
    expect(readNetrcEntry('quoted.test', file)).to.deep.equal({login: 'a "b"', password: 'p#ss word'})
  })

  it('replaces only the values of one entry and keeps every other line', () => {
    writeFileSync(file, several)
    writeNetrcEntry('apps.akkeris.test', {login: 'alice', password: 'new-token'}, file)
    expect(readFileSync(file, 'utf8')).to.equal(several.replace('login old-user password old-token', 'login alice password new-token'))
  })

  it('appends a new entry at the end and leaves the others as they were', () => {
    writeFileSync(file, several)
    writeNetrcEntry('apps.example.io', {login: 'alice', password: 'tok en"1'}, file)
    expect(readFileSync(file, 'utf8')).to.equal(`${several}machine apps.example.io\n  login alice\n  password "tok en\\"1"\n`)
    expect(readNetrcEntry('apps.example.io', file)).to.deep.equal({login: 'alice', password: 'tok en"1'})
  })

  it('writes with mode 0600, even over a file that was readable by others', () => {
    writeFileSync(file, several)
    chmodSync(file, 0o644)
    writeNetrcEntry('apps.akkeris.test', {login: 'alice', password: 'new-token'}, file)
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    writeNetrcEntry('fresh.test', {login: 'a', password: 'b'}, join(dir, 'new-netrc'))
    expect(statSync(join(dir, 'new-netrc')).mode & 0o777).to.equal(0o600)
  })

  it('removes only its own entry', () => {
    writeFileSync(file, several)
    expect(removeNetrcEntry('apps.akkeris.test', file)).to.equal(true)
    expect(readFileSync(file, 'utf8')).to.equal(several.replace('machine apps.akkeris.test login old-user password old-token\n', ''))
    expect(removeNetrcEntry('apps.akkeris.test', file)).to.equal(false)
  })

  it('removes a multi-line entry and its values, keeping the comment after it', () => {
    writeFileSync(file, several)
    removeNetrcEntry('github.com', file)
    expect(readFileSync(file, 'utf8')).to.equal(several.replace('machine github.com\n  login alice\n  password ghp_abc  ', ''))
    expect(readNetrcEntry('github.com', file)).to.equal(undefined)
    expect(readNetrcEntry('127.0.0.1:5000', file)).to.deep.equal({login: 'dev', password: 'two words'})
  })
})
