// The local platform as a process (`aka local:start`, foreground or detached): it runs until SIGINT or SIGTERM.
import {resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {localHome} from '../config/local.js'
import type {StartReport} from './daemon.js'
import {platformLog} from './platform-log.js'
import {startPlatform} from './platform.js'

export interface ServeOptions {
  home: string
  port: number
  /** Seconds a new dyno of a deployment may take to become ready (default 60). */
  deployTimeoutSeconds?: number
  log: (line: string) => void
  /** Told once the API answers. */
  onListening?: (url: string) => void
}

/** Starts the platform with the real runtime and resolves once a signal has stopped it and its dynos. */
export async function servePlatform(options: ServeOptions): Promise<void> {
  // Nothing the platform writes to may end it: a stray write to a closed pipe is an 'error' event.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) stream.on('error', () => {})
  }
  // Signals are taken from the first moment (`aka local:stop` finds the pid file as soon as the
  // lock is held): one that comes while starting stops the platform as soon as it is up.
  let requested: NodeJS.Signals | undefined
  let stop = (signal: NodeJS.Signals) => {
    requested = signal
  }
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal while stopping means "now": the next start ends what is left.
    process.once(signal, () => process.exit(130))
    stop(signal)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const {createRuntime} = await import('./runtime/runtime.js')
  const deadlineMs = options.deployTimeoutSeconds === undefined ? undefined : options.deployTimeoutSeconds * 1000
  const platform = await startPlatform({home: options.home, port: options.port, log: options.log, createRuntime, deadlineMs}).catch((error: unknown) => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    throw error
  })
  options.log(`listening on ${platform.url} (state folder ${options.home})`)
  await new Promise<void>((done, fail) => {
    stop = signal => {
      options.log(`${signal}: stopping the dynos and the API`)
      platform.stop().then(done, fail)
    }
    // A defect must not leave dynos running unsupervised: stop them, then fail. Another error while
    // stopping is logged, not fatal, or it would end the process with its dynos still running.
    let failure: Error | undefined
    process.on('uncaughtException', error => {
      options.log(`uncaught error${failure ? ' while stopping' : ', stopping the dynos'}: ${error.stack ?? error.message}`)
      if (failure) return
      failure = error
      platform.stop().finally(() => fail(error))
    })
    if (requested) stop(requested)
    else options.onListening?.(platform.url)
  })
  options.log('stopped')
}

/** `--name N` as a whole number from min to max; the fallback when absent. */
function numberArgument(argv: string[], name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const index = argv.indexOf(name)
  if (index === -1) return fallback
  const value = Number(argv[index + 1])
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${argv[index + 1]}`)
  return value
}

/** Tells the `--detach` parent (through its IPC channel, when there is one) how the start went; it resolves once sent. */
function report(message: StartReport): Promise<void> {
  return new Promise(done => {
    if (!process.send || !process.connected) {
      done()
      return
    }
    // A parent that is gone (Ctrl-C) cannot be told: that is not the platform's failure.
    process.send(message, undefined, {}, () => done())
  })
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (invokedDirectly) {
  const log = platformLog()
  try {
    const argv = process.argv.slice(2)
    const port = numberArgument(argv, '--port', 5000, 0, 65_535) as number
    const deployTimeoutSeconds = numberArgument(argv, '--deploy-timeout', undefined, 5, Number.MAX_SAFE_INTEGER)
    await servePlatform({
      home: localHome(process.env), port, deployTimeoutSeconds, log,
      onListening: url => void report({url}).then(() => process.connected && process.disconnect()),
    })
    process.exit(0)
  } catch (error) {
    const {message, name, code} = error as NodeJS.ErrnoException
    log(`error: ${message}`)
    await report({error: message, name, ...(code === undefined ? {} : {code})})
    process.exit(1)
  }
}
