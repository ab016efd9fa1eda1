import { emailSchema, passwordSchema } from '../../shared/schemas'
import { stringOption, type Command } from '../command'
import { readPassword } from '../secrets'
import { validated } from '../validate'

export const loginCommand: Command = {
  path: ['login'],
  summary: "Check a user's email and password, with the same limits and audit as the console",
  usage: 'login --email EMAIL',
  options: {
    email: { type: 'string', valueName: 'EMAIL', description: "The user's email", required: true },
  },
  stdin: "the user's password, first line",
  env: ['TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'],
  examples: [`printf '%s\\n' "$PASSWORD" | tessera login --email ada@example.com && echo ok`],
  async run(ctx, values) {
    const email = validated(emailSchema, stringOption(values, 'email'), '--email')
    return ctx.withServices(async (services) => {
      const password = validated(
        passwordSchema,
        await readPassword('Password', {
          example: `printf '%s\\n' "$PASSWORD" | tessera login --email ${email}`,
        }),
        'password on stdin',
      )
      const { user } = await services.auth.login(email, password, ctx.client)
      return {
        data: { accepted: true, user },
        text: [`Accepted: ${user.name} <${user.email}> (${user.role})`],
      }
    })
  },
}
