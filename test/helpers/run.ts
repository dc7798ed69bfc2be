// Runs an aka command in-process, as a user would type it, on a terminal made of buffers.
import {Config} from '@oclif/core'
import {existsSync, readdirSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {testTerminal, type TestTerminal, useTerminal} from '../../src/render/terminal.js'

export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
  term: TestTerminal
}

export interface RunOptions {
  /** Run as a person's terminal (spinners, prompts) instead of a pipe. */
  tty?: boolean
  color?: boolean
  /** Environment for this run only; undefined removes a variable. */
  env?: Record<string, string | undefined>
  /** Called once the command has started, to answer prompts with term.type(). */
  interact?: (term: TestTerminal) => void
}

type CommandClass = {
  id?: string
  run(argv: string[], config: Config): Promise<unknown>
  aliases?: string[]
  hiddenAliases?: string[]
}

const root = fileURLToPath(new URL('../..', import.meta.url))
const commandsDir = join(root, 'src', 'commands')
let config: Config | undefined

/** Variables that would make a test depend on the machine it runs on. */
const MACHINE_ENV = ['AKKERIS_API_HOST', 'AKKERIS_AUTH_HOST', 'AKKERIS_API_INSECURE', 'AKKERIS_APP', 'API_TOKEN', 'API_AUTH', 'AKKERIS_API_TIMEOUT', 'DEBUG', 'NO_COLOR', 'FORCE_COLOR', 'AKKERIS_LOCAL_HOME']

/**
 * The command class for an id or alias, imported from src/ (the tests' tsx loader compiles it),
 * so tests never depend on a stale build.
 */
async function findCommand(id: string): Promise<CommandClass> {
  const path = join(commandsDir, ...id.split(':'))
  for (const file of [`${path}.ts`, join(path, 'index.ts')]) {
    if (existsSync(file)) return withId(((await import(pathToFileURL(file).href)) as {default: CommandClass}).default, file)
  }
  for (const file of readdirSync(commandsDir, {recursive: true, encoding: 'utf8'}).filter(name => name.endsWith('.ts'))) {
    const command = ((await import(pathToFileURL(join(commandsDir, file)).href)) as {default: CommandClass}).default
    if ([...(command.aliases ?? []), ...(command.hiddenAliases ?? [])].includes(id)) return withId(command, join(commandsDir, file))
  }
  throw new Error(`no command ${id} in src/commands`)
}

/**
 * The command's id as oclif gives it when it loads the class (`ps:scale` for ps/scale.ts); without
 * it oclif falls back to the class name (`psscale`), which error lines would show.
 */
function withId(command: CommandClass, file: string): CommandClass {
  command.id = relative(commandsDir, file).replace(/\.ts$/, '').replace(/[/\\]index$/, '').split(/[/\\]/).join(':')
  return command
}

export async function runCommand(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  process.env.NODE_ENV = 'test'
  config ??= await Config.load(root)
  const saved = new Map<string, string | undefined>()
  const env: Record<string, string | undefined> = Object.fromEntries(MACHINE_ENV.map(name => [name, undefined]))
  Object.assign(env, options.env)
  for (const [name, value] of Object.entries(env)) {
    saved.set(name, process.env[name])
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  const term = testTerminal({tty: options.tty, color: options.color, env: process.env})
  useTerminal(term)
  let exitCode = 0
  try {
    const [id, ...rest] = argv
    const command = await findCommand(id)
    const running = command.run(rest, config)
    options.interact?.(term)
    await running
  } catch (error) {
    const exit = (error as {oclif?: {exit?: number}}).oclif?.exit
    if (exit === undefined) throw error
    exitCode = exit
  } finally {
    useTerminal(undefined)
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  return {stdout: term.out(), stderr: term.err(), exitCode, term}
}
