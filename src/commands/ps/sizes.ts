import * as Flags from '@oclif/core/flags'

import {AkaCommand, jsonFlag} from '../../cli/base-command.js'

export default class PsSizes extends AkaCommand {
  static override summary = 'List the dyno sizes'
  static override description = 'Memory limit, CPU and monthly price of each dyno size (GET /sizes). Sizes meant for production spaces (`-prod`) are shown only with --all; --json prints every size as the API returns it.'
  static override examples = [
    {description: 'The sizes a dyno type can have', command: '<%= config.bin %> ps:sizes'},
    {description: 'With the production sizes', command: '<%= config.bin %> ps:sizes --all'},
  ]

  static override hiddenAliases = ['sizes']
  static override flags = {
    all: Flags.boolean({description: 'include the -prod sizes'}),
    json: jsonFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(PsSizes)
    const api = await this.api()
    const sizes = await api.sizes.list()
    const {notice, printJson} = await import('../../render/output.js')
    if (flags.json) {
      printJson(this.term, sizes)
      return
    }
    const shown = flags.all ? sizes : sizes.filter(size => !size.name.includes('-prod'))
    if (shown.length === 0) {
      notice(this.term, sizes.length === 0 ? 'No dyno sizes.' : 'No dyno sizes but -prod ones: --all shows them.')
      return
    }
    const {renderSizes} = await import('../../render/sizes.js')
    this.term.stdout.write(renderSizes(this.term, shown))
  }
}
