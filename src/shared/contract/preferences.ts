import { z } from 'zod'
import { emptyInputSchema } from './common'
import { enrolling, everyone, method, type AreaMethods } from './method'

/** The console's languages; a person's choice, or null to follow the OS (and the account in messages). */
export const languageSchema = z.enum(['en', 'es'])
export type Language = z.infer<typeof languageSchema>
export const themeSchema = z.enum(['system', 'light', 'dark'])
export type ThemeChoice = z.infer<typeof themeSchema>

export interface PreferencesDto {
  language: Language | null
  theme: ThemeChoice
}

/** Either or both; each person changes only their own. */
export const preferencesSetInputSchema = z
  .object({ language: languageSchema.nullable().optional(), theme: themeSchema.optional() })
  .strict()
  .refine((p) => p.language !== undefined || p.theme !== undefined, {
    message: 'Choose a language or a theme.',
  })
export type PreferencesSetInput = z.infer<typeof preferencesSetInputSchema>

/** The language the console shows now: main answers this console's errors in it. */
export const consoleLanguageInputSchema = z.object({ language: languageSchema }).strict()

// Also while enrolling (the wizard is read in the person's language too), never before the second step.
// The console's language is told before anyone signs in (first run, the sign-in screen), by each window.
export const preferencesMethods = {
  'preferences.get': method<PreferencesDto>()(emptyInputSchema, everyone, enrolling),
  'preferences.set': method<PreferencesDto>()(preferencesSetInputSchema, everyone, enrolling),
  'console.setLanguage': method<{ language: Language }>()(consoleLanguageInputSchema, 'anyone'),
} satisfies AreaMethods<'preferences' | 'console'>
