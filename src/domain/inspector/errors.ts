// An error meant for the user: the message in both languages, shown where the user looks.
import type { Lang } from "../catalog";

export class UserError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = "UserError";
  }
  text(lang: Lang): string {
    return lang === "zh" ? this.zh : this.en;
  }
}

export function userMessage(e: unknown, lang: Lang): string {
  if (e instanceof UserError) return e.text(lang);
  return e instanceof Error ? e.message : String(e);
}
