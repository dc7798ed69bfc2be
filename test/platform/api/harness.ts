// A platform started in-process on a free port, in a temporary state folder, with a stub runtime
// that records what the API asked of it.
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Dyno} from '../../../src/api/types.js'
import type {LogOptions, OneOffRequest, PlatformStore, Runtime} from '../../../src/platform/contract.js'
import {type RunningPlatform, startPlatform} from '../../../src/platform/platform.js'
import type {ServerTimeouts} from '../../../src/platform/api/server.js'

class StubRuntime implements Runtime {
  readonly calls: string[] = []
  readonly dynoLists = new Map<string, Dyno[]>()
  readonly logLines: string[] = []
  private readonly followers = new Set<(line: string) => void>()

  constructor(private readonly store: PlatformStore) {}

  changed(appId: string): void {
    this.calls.push(`changed ${appId}`)
  }

  dynos(appId: string): Dyno[] {
    return this.dynoLists.get(appId) ?? []
  }

  restart(appId: string, target?: {type: string, name?: string}): void {
    this.calls.push(['restart', appId, target?.type, target?.name].filter(Boolean).join(' '))
  }

  signal(appId: string, type: string, name: string, signal: number): boolean {
    this.calls.push(`signal ${appId} ${type}.${name} ${signal}`)
    return this.dynos(appId).some(dyno => dyno.type === type && dyno.name === name)
  }

  /** The filter of the last logs read: the route passes it on, the LogBook applies it (its own tests). */
  logFilter: LogOptions['filter']

  logs(_appId: string, options: LogOptions, write: (line: string) => void): () => void {
    this.logFilter = options.filter
    for (const line of this.logLines.slice(-options.lines || this.logLines.length)) write(line)
    if (options.tail) this.followers.add(write)
    return () => this.followers.delete(write)
  }

  /** A new log line for every tailing client. */
  emit(line: string): void {
    this.logLines.push(line)
    for (const follower of this.followers) follower(line)
  }

  get followerCount(): number {
    return this.followers.size
  }

  runOneOff(appId: string, request: OneOffRequest): Dyno | undefined {
    this.calls.push(`runOneOff ${appId} ${request.command}`)
    return undefined
  }

  attach(): boolean {
    return false
  }

  webUrl(appId: string): string | null {
    return this.store.desired(appId)?.formations.some(formation => formation.type === 'web') ? 'http://127.0.0.1:7001' : null
  }

  async removeApp(appId: string): Promise<void> {
    this.calls.push(`removeApp ${appId}`)
  }

  async stop(): Promise<void> {
    this.calls.push('stop')
  }
}

interface Reply {
  status: number
  text: string
  contentType: string | null
  headers: Headers
  json<T = unknown>(): T
}

export interface TestPlatform {
  platform: RunningPlatform
  runtime: StubRuntime
  home: string
  logs: string[]
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>
  /** Stops the platform and removes its state folder. */
  close(): Promise<void>
}

/** An error answer as the reference gives it: the status, and the exact message as plain text. */
export async function expectError(platform: TestPlatform, method: string, path: string, body: unknown, status: number, message: string): Promise<void> {
  const reply = await platform.request(method, path, body)
  expect({status: reply.status, text: reply.text, contentType: reply.contentType}, `${method} ${path} ${JSON.stringify(body)}`)
    .to.deep.equal({status, text: message, contentType: 'text/plain; charset=utf-8'})
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'aka-platform-'))
}

export async function startTestPlatform(home = tempHome(), options: {keepHome?: boolean, serverTimeouts?: ServerTimeouts} = {}): Promise<TestPlatform> {
  const logs: string[] = []
  let runtime: StubRuntime | undefined
  const platform = await startPlatform({
    home,
    port: 0,
    log: line => logs.push(line),
    serverTimeouts: options.serverTimeouts,
    createRuntime(store) {
      runtime = new StubRuntime(store)
      return runtime
    },
  })
  return {
    platform,
    runtime: runtime as StubRuntime,
    home,
    logs,
    async request(method, path, body, headers = {}) {
      const response = await fetch(`${platform.url}${path}`, {
        method,
        headers: {authorization: `Bearer ${platform.token}`, ...headers},
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      })
      const text = await response.text()
      return {status: response.status, text, contentType: response.headers.get('content-type'), headers: response.headers, json: <T>() => JSON.parse(text) as T}
    },
    async close() {
      await platform.stop()
      if (!options.keepHome) rmSync(home, {recursive: true, force: true})
    },
  }
}
