import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import type {AppCreate} from '../../api/types.js'
import {AkaCommand, jsonFlag} from '../../cli/base-command.js'
import {UsageError} from '../../errors.js'

/** The old CLI's rule: without --space, `shop-prod` means app `shop` in space `prod`. */
function appCreateBody(name: string, space: string | undefined, org: string | undefined): AppCreate {
  const body: AppCreate = {name}
  const dash = name.indexOf('-')
  if (space === undefined && dash !== -1) {
    body.name = name.slice(0, dash)
    body.space = name.slice(dash + 1)
  } else if (space !== undefined) {
    body.space = space
  }
  if (org !== undefined) body.org = org
  if (body.name === '' || body.space === '') {
    throw new UsageError(`"${name}" is not an app name`, 'give NAME or NAME-SPACE, for example `shop` or `shop-prod`')
  }
  return body
}

export default class AppsCreate extends AkaCommand {
  static override summary = 'Create an app'
  static override description = 'NAME-SPACE creates app NAME in space SPACE when --space is not given (as aka 3.x did). Without a space the API picks its default (`default` on the local platform).'
  static override examples = [
    {description: 'App shop in space prod', command: '<%= config.bin %> apps:create shop-prod'},
    {description: 'The same, with flags', command: '<%= config.bin %> apps:create shop -s prod -o acme'},
    {description: 'On the local platform: app hello-default', command: '<%= config.bin %> apps:create hello'},
  ]

  static override args = {name: Args.string({description: 'NAME or NAME-SPACE', required: true})}
  static override flags = {
    space: Flags.string({char: 's', description: 'space to create the app in', helpValue: 'SPACE'}),
    org: Flags.string({char: 'o', description: 'organization that owns the app', helpValue: 'ORG'}),
    json: jsonFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(AppsCreate)
    const body = appCreateBody(args.name, flags.space, flags.org)
    const api = await this.api()
    const app = await api.apps.create(body)
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, app)
      return
    }
    const {renderCreated} = await import('../../render/apps.js')
    this.term.stdout.write(renderCreated(this.term, app))
  }
}
