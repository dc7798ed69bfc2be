import {AkaCommand} from '../../cli/base-command.js'
import {AkaError} from '../../errors.js'

export default class LocalStop extends AkaCommand {
  static override summary = 'Stop the local Akkeris platform and its dynos'
  static override description = 'Sends SIGTERM to the running local platform (foreground or detached) and waits until it has stopped its dynos and exited. Does nothing when it is not running.'
  static override examples = [{description: 'Stop it', command: '<%= config.bin %> local:stop'}]

  async run(): Promise<void> {
    await this.parse(LocalStop)
    const {localHome} = await import('../../config/local.js')
    const {stopPlatform} = await import('../../platform/daemon.js')
    const home = localHome(this.term.env)
    this.term.spinner.start('Stopping the local platform')
    let pid: number | undefined
    try {
      pid = await stopPlatform(home, this.term.env)
    } catch (error) {
      throw new AkaError((error as Error).message, 'end it with kill -9: its next start ends any dyno left behind')
    }
    this.term.spinner.stop()
    this.term.stderr.write(pid === undefined ? 'The local platform is not running.\n' : `Stopped the local platform (pid ${pid}).\n`)
  }
}
