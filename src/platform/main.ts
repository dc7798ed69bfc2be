// The local platform as a process (`aka local:start`, foreground or detached): it runs until SIGINT or SIGTERM.
import {resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {localHome} from '../config/local.js'
import {startPlatform} from './platform.js'

export interface ServeOptions {
  home: string
  port: number
  log: (line: string) => void
  /** Told once the API answers. */
  onListening?: (url: string) => void
}

/** Starts the platform with the real runtime and resolves once a signal has stopped it and its dynos. */
export async function servePlatform(options: ServeOptions): Promise<void> {
  const {createRuntime} = await import('./runtime.js')
  const platform = await startPlatform({home: options.home, port: options.port, log: options.log, createRuntime})
  options.log(`listening on ${platform.url} (state folder ${options.home})`)
  options.onListening?.(platform.url)
  await new Promise<void>((done, fail) => {
    const stop = (signal: NodeJS.Signals) => {
      options.log(`${signal}: stopping the dynos and the API`)
      // A second signal while stopping means "now": the next start ends what is left.
      process.once(signal, () => process.exit(130))
      platform.stop().then(done, fail)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  options.log('stopped')
}

function portArgument(argv: string[]): number {
  const index = argv.indexOf('--port')
  const port = index === -1 ? 5000 : Number(argv[index + 1])
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, not ${argv[index + 1]}`)
  return port
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (invokedDirectly) {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`)
  try {
    await servePlatform({home: localHome(process.env), port: portArgument(process.argv.slice(2)), log})
    process.exit(0)
  } catch (error) {
    log(`error: ${(error as Error).message}`)
    process.exit(1)
  }
}
