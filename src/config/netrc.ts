// ~/.netrc reading and editing that keeps every other entry, comment and blank line as it was.
import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

interface Token {
  text: string
  start: number
  end: number
}

interface MachineBlock {
  name: string
  /** Offset of the `machine` keyword, and the end of the block's last value. */
  start: number
  end: number
  values: Map<string, Token>
}

export interface NetrcEntry {
  login?: string
  password?: string
}

const KEYS_WITH_VALUES = new Set(['login', 'password', 'account', 'port'])

export function netrcPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), '.netrc')
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const pattern = /#[^\n]*|"(?:[^"\\]|\\.)*"|\S+/g
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0].startsWith('#')) continue
    tokens.push({text: match[0], start: match.index, end: match.index + match[0].length})
  }
  return tokens
}

function unquote(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replaceAll(/\\(.)/g, '$1') : text
}

function blocks(text: string): MachineBlock[] {
  const tokens = tokenize(text)
  const found: MachineBlock[] = []
  let current: MachineBlock | undefined
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (token.text === 'machine' && i + 1 < tokens.length) {
      const name = tokens[++i]
      current = {name: unquote(name.text), start: token.start, end: name.end, values: new Map()}
      found.push(current)
    } else if (token.text === 'default' || token.text === 'macdef') {
      current = undefined
      if (token.text === 'macdef') {
        const blank = text.indexOf('\n\n', token.end)
        const stop = blank === -1 ? text.length : blank
        while (i + 1 < tokens.length && tokens[i + 1].start < stop) i++
      }
    } else if (current && KEYS_WITH_VALUES.has(token.text) && i + 1 < tokens.length) {
      const value = tokens[++i]
      current.values.set(token.text, value)
      current.end = value.end
    }
  }
  return found
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : ''
}

export function readNetrcEntry(machine: string, file = netrcPath()): NetrcEntry | undefined {
  const block = blocks(readText(file)).find(candidate => candidate.name === machine)
  if (!block) return undefined
  const value = (key: string) => {
    const token = block.values.get(key)
    return token ? unquote(token.text) : undefined
  }
  return {login: value('login'), password: value('password')}
}

function quote(value: string): string {
  return /[\s"#\\]/.test(value) ? `"${value.replaceAll(/["\\]/g, '\\$&')}"` : value
}

function write(file: string, text: string): void {
  writeFileSync(file, text, {mode: 0o600})
  chmodSync(file, 0o600)
}

/** Sets login and password of one machine, editing only that entry's values. */
/** One entry as aka writes it (and aka 3.x reads it). */
export function formatNetrcEntry(machine: string, entry: Required<NetrcEntry>): string {
  return `machine ${machine}\n  login ${quote(entry.login)}\n  password ${quote(entry.password)}\n`
}

export function writeNetrcEntry(machine: string, entry: Required<NetrcEntry>, file = netrcPath()): void {
  let text = readText(file)
  const block = blocks(text).find(candidate => candidate.name === machine)
  if (!block) {
    const separator = text === '' || text.endsWith('\n') ? '' : '\n'
    write(file, `${text}${separator}${formatNetrcEntry(machine, entry)}`)
    return
  }
  const edits: {start: number, end: number, text: string}[] = []
  const missing: string[] = []
  for (const key of ['login', 'password'] as const) {
    const token = block.values.get(key)
    if (token) edits.push({start: token.start, end: token.end, text: quote(entry[key])})
    else missing.push(`\n  ${key} ${quote(entry[key])}`)
  }
  if (missing.length > 0) edits.push({start: block.end, end: block.end, text: missing.join('')})
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end)
  }
  write(file, text)
}

/** Removes one machine's entry; returns whether there was one. */
export function removeNetrcEntry(machine: string, file = netrcPath()): boolean {
  const text = readText(file)
  const block = blocks(text).find(candidate => candidate.name === machine)
  if (!block) return false
  let end = block.end
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++
  if (text[end] === '\n') end++
  write(file, text.slice(0, block.start) + text.slice(end))
  return true
}
